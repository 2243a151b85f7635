package jgrub.config.menu;

/** GRUB's reading of {@code default}-style selectors (grub-core/normal/menu.c). */
public final class Selectors {

    private Selectors() {
    }

    /** GRUB's menuentry_eq: {@code id} equals {@code selector} up to its first lone {@code >}; {@code >>} is a {@code >}. */
    public static boolean matches(String id, String selector) {
        int i = 0;
        int j = 0;
        while (true) {
            char s = j < selector.length() ? selector.charAt(j) : 0;
            char next = j + 1 < selector.length() ? selector.charAt(j + 1) : 0;
            char c = i < id.length() ? id.charAt(i) : 0;
            if (s == '>' && next != '>' && c == 0) {
                return true;
            }
            if (s == '>' && next != '>') {
                return false;
            }
            if (s == '>') {
                j++;
                s = '>';
            }
            if (c != s) {
                return false;
            }
            if (c == 0) {
                return true;
            }
            i++;
            j++;
        }
    }

    /** What follows the first lone {@code >} of a selector (the part for the submenu), or null. */
    public static String rest(String selector) {
        for (int i = 0; i < selector.length(); i++) {
            if (selector.charAt(i) == '>') {
                if (i + 1 < selector.length() && selector.charAt(i + 1) == '>') {
                    i++;
                    continue;
                }
                return i + 1 < selector.length() ? selector.substring(i + 1) : null;
            }
        }
        return null;
    }

    /**
     * C's strtoul(s, NULL, 0) as GRUB uses it: optional blanks, then digits in base 16 ({@code 0x}), 8 (leading 0) or
     * 10; anything after the digits is ignored. Null when there are no digits (GRUB's "unrecognized number").
     */
    public static Long strtoul(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int base = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                base = 16;
                i += 2;
            }
        } else if (s.startsWith("0", i)) {
            base = 8;
        }
        long value = 0;
        int digits = 0;
        while (i < s.length() && Character.digit(s.charAt(i), base) >= 0) {
            value = value * base + Character.digit(s.charAt(i), base);
            if (value > 0xFFFF_FFFFL) {
                value = 0xFFFF_FFFFL;
            }
            digits++;
            i++;
        }
        return digits == 0 ? null : value;
    }
}
