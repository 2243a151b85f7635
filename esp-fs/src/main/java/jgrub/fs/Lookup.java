package jgrub.fs;

/**
 * Whose rules a path lookup follows. A file system that ignores case can still fold different letters for different
 * readers; one that keeps case matches exactly under both.
 */
public enum Lookup {
    /** GRUB's file system drivers: what {@code search --file}, {@code test -f} and the loader commands see. */
    GRUB,
    /** UEFI firmware's drivers: what an EFI application opening files through Simple File System sees. */
    FIRMWARE
}
