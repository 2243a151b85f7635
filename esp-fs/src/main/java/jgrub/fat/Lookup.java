package jgrub.fat;

/**
 * How a path component matches a directory entry. Both ignore case; they differ in which letters fold and whether
 * the 8.3 alias of a long-named entry matches too. Checked against GRUB 2.06 on OVMF
 * ({@code shared/tools/grub-reference-boot}): {@code test -f /efi/boot/GRUB.CFG} finds {@code /EFI/BOOT/grub.cfg},
 * but neither {@code привет.txt} for {@code Привет.txt} nor an alias such as {@code LONGDI~1}.
 */
public enum Lookup {
    /**
     * GRUB's fat module: the long name if there is a valid one, else the 8.3 name, compared with ASCII-only case
     * folding ({@code grub_strcasecmp}). What {@code search --file} and {@code test -f} see.
     */
    GRUB {
        @Override
        boolean matches(FatEntry entry, String component) {
            return equalsFolding(entry.name(), component, 0x80);
        }
    },
    /**
     * UEFI firmware (EDK2's FAT driver with English Unicode collation): long name or 8.3 alias, with ASCII and
     * Latin-1 letters folded. What an EFI application opening files through Simple File System sees.
     */
    FIRMWARE {
        @Override
        boolean matches(FatEntry entry, String component) {
            return equalsFolding(entry.name(), component, 0x100) || equalsFolding(entry.shortName(), component, 0x100);
        }
    };

    abstract boolean matches(FatEntry entry, String component);

    /** Equal, ignoring the case of characters below {@code foldBelow}. */
    static boolean equalsFolding(String a, String b, int foldBelow) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && (x >= foldBelow || y >= foldBelow || upper(x) != upper(y))) {
                return false;
            }
        }
        return true;
    }

    private static char upper(char c) {
        char u = Character.toUpperCase(c);
        // ÿ and µ upper-case outside Latin-1; they stay as they are, like EDK2's map.
        return u < 0x100 ? u : c;
    }
}
