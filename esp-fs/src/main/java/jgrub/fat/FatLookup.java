package jgrub.fat;

import jgrub.fs.Lookup;

/**
 * How a path component matches a FAT directory entry under each {@link Lookup}. Both ignore case; they differ in which
 * letters fold and whether the 8.3 alias of a long-named entry matches too. Checked against GRUB 2.06 on OVMF
 * ({@code scripts/grub-reference-boot}): {@code test -f /efi/boot/GRUB.CFG} finds {@code /EFI/BOOT/grub.cfg},
 * but neither {@code привет.txt} for {@code Привет.txt} nor an alias such as {@code LONGDI~1}.
 */
final class FatLookup {

    private FatLookup() {
    }

    static boolean matches(Lookup lookup, FatEntry entry, String component) {
        return switch (lookup) {
            // GRUB's fat module: the long name if there is a valid one, else the 8.3 name, compared with ASCII-only
            // case folding (grub_strcasecmp).
            case GRUB -> equalsFolding(entry.name(), component, 0x80);
            // EDK2's FAT driver with English Unicode collation: long name or 8.3 alias, ASCII and Latin-1 folded.
            case FIRMWARE -> equalsFolding(entry.name(), component, 0x100)
                    || equalsFolding(entry.shortName(), component, 0x100);
        };
    }

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
