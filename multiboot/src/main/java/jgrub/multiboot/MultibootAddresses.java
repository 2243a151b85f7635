package jgrub.multiboot;

/** The fixed guest addresses the Multiboot loaders use, and why each is where it is. */
public final class MultibootAddresses {

    /**
     * ESP at a 32-bit Multiboot entry. The specifications leave it undefined; GRUB's MULTIBOOT_INITIAL_STATE sets
     * 0x7ff00, "some random location in low memory to avoid breaking non-compliant kernels", and so does jgrub.
     */
    public static final int INITIAL_STACK = 0x7ff00;

    /**
     * The Multiboot 1 information goes in [0x10000, 0xa0000), 4-byte aligned: GRUB's {@code grub_multiboot_make_mbi}
     * allocates it there, so kernels that assume it below 640 KiB keep working.
     */
    public static final long MB1_INFO_MIN = 0x10000;
    public static final long MB1_INFO_END = 0xa0000;

    /**
     * The Multiboot 2 information: GRUB allows [0x1000, 4 GiB) 8-byte aligned; jgrub starts at 1 MiB, with the modules,
     * so that low memory stays free for the BIOS and the kernel's trampoline.
     */
    public static final long MB2_INFO_MIN = ImagePlacer.FLEXIBLE_MIN;

    private MultibootAddresses() {
    }
}
