package jgrub.boot;

/**
 * The firmware a boot runs on, named for the GRUB build that runs there: configs branch on {@code $grub_platform}
 * (Debian's 20_linux_xen does), and the loaders on what that build does (GRUB x86_64-efi honours the Multiboot 2 EFI
 * tags and chainloads PE images; i386-pc does neither).
 */
public enum Platform {
    /** GRUB's x86_64-efi build. */
    EFI("efi", "x86_64"),
    /** GRUB's i386-pc (BIOS) build. */
    PC("pc", "i386");

    private final String grubPlatform;
    private final String grubCpu;

    Platform(String grubPlatform, String grubCpu) {
        this.grubPlatform = grubPlatform;
        this.grubCpu = grubCpu;
    }

    /** The value of {@code $grub_platform}. */
    public String grubPlatform() {
        return grubPlatform;
    }

    /** The value of {@code $grub_cpu}. */
    public String grubCpu() {
        return grubCpu;
    }

    /** {@code efi} or {@code pc}, as a user writes it; null when neither. */
    public static Platform byName(String name) {
        for (Platform p : values()) {
            if (p.grubPlatform.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }
}
