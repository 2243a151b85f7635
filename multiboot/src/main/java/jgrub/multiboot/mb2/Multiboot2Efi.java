package jgrub.multiboot.mb2;

import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiBootProtocol;
import jgrub.efi.EfiDevicePath;
import jgrub.efi.EfiException;
import jgrub.efi.EfiMemoryType;
import jgrub.efi.EfiPlacement;
import jgrub.efi.EfiSystem;
import jgrub.fs.Disk;
import jgrub.part.Partition;

/**
 * {@code multiboot2}/{@code module2} on the EFI platform, as GRUB x86_64-efi boots Xen when its header asks to keep
 * boot services (tag 7) and names a 64-bit EFI entry (tag 9): jgrub's EFI environment in the guest, the kernel,
 * modules and information placed by its allocator (page-granular), tags 12 (EFI64 system table), 20 (EFI64 image handle) and 18 (boot
 * services not terminated), and entry in long mode at the tag-9 address. Xen then calls boot services itself and
 * exits them.
 */
public final class Multiboot2Efi extends EfiBootProtocol {

    /** Pages of firmware stack the entry gets: 128 KiB, as EDK2 gives an application. */
    static final long STACK_PAGES = 32;

    private final Multiboot2 kernel;
    private final String path;

    /** {@code kernel} must have been loaded for {@link jgrub.boot.Platform#EFI}. */
    public Multiboot2Efi(Multiboot2 kernel, String path, Disk disk, Partition esp, EfiBoot.Options options) {
        super(disk, esp, options);
        this.kernel = kernel;
        this.path = path;
    }

    @Override
    protected String name() {
        return "multiboot2 " + path;
    }

    @Override
    protected BootPlan plan(EfiBoot boot, Firmware firmware, Guest guest) throws BootException, EfiException {
        EfiSystem efi = boot.efi();
        // GRUB hands over its own image handle; jgrub's stands for the kernel file it loaded.
        long imageHandle = efi.createImage(0, 0, boot.espHandle(), EfiDevicePath.file(path), null);
        long stack = efi.stack("stack of the EFI entry", STACK_PAGES);
        // Placed from the EFI memory map itself, so everything shows as in use there, or Xen takes it for free memory.
        return kernel.plan(firmware, new EfiPlacement(efi.memoryMap(), EfiMemoryType.LOADER_DATA),
                new Multiboot2.EfiHandoff(efi.systemTable(), imageHandle, stack));
    }
}
