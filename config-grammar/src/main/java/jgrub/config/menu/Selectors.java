package jgrub.config.menu;

/** GRUB's reading of {@code default}-style selectors (grub-core/normal/menu.c). */
public final class Selectors {

    private Selectors() {
    }

    /**
     * Whose menu code reads a selector. Upstream GRUB 2.06 ({@code get_entry_number} in grub-core/normal/menu.c)
     * takes a leading number first, so {@code 2a4e...-6.5.6} is entry 2. Fedora's GRUB (rhboot/grub2 fedora-39,
     * {@code get_entry_number_helper}, "Fix menu entry selection based on ID and title") tries ids first (up to the
     * first blank), then titles, then a number that is the whole selector: the BootLoaderSpec ids it writes to
     * {@code saved_entry} start with a machine id, often with a digit.
     */
    public enum Lookup { UPSTREAM, FEDORA }

    /** The index {@code selector} names among items with these titles and ids, read as {@code lookup} says; -1 for none. */
    public static int indexOf(Lookup lookup, java.util.List<String> titles, java.util.List<String> ids,
            String selector) {
        if (lookup == Lookup.FEDORA) {
            return fedoraIndexOf(titles, ids, selector);
        }
        Long number = strtoul(selector);
        if (number != null) {
            return number < titles.size() ? (int) (long) number : -1;
        }
        for (int i = 0; i < titles.size(); i++) {
            if (matches(titles.get(i), selector) || matches(ids.get(i), selector)) {
                return i;
            }
        }
        return -1;
    }

    /** Fedora's get_entry_number: an id up to the first blank (nothing may follow), a title, a whole number. */
    private static int fedoraIndexOf(java.util.List<String> titles, java.util.List<String> ids, String selector) {
        int limit = 0;
        while (limit < selector.length() && !isSpace(selector.charAt(limit))) {
            limit++;
        }
        for (int i = 0; i < ids.size(); i++) {
            if (fedoraEq(ids.get(i), selector, limit) != 0) {
                return limit == selector.length() ? i : -1;
            }
        }
        for (int i = 0; i < titles.size(); i++) {
            if (fedoraEq(titles.get(i), selector, -1) != 0) {
                return i;
            }
        }
        if (!selector.matches("\\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")) {
            return -1;
        }
        long number = strtoul(selector);
        return number < titles.size() ? (int) number : -1;
    }

    /**
     * Fedora's menuentry_eq(id, spec, limit): like {@link #matches} but comparing at most {@code limit} characters
     * (-1: all), an id that ends where the spec has a blank matching too; non-zero for a match.
     */
    private static int fedoraEq(String id, String spec, int limit) {
        int p1 = 0;
        int p2 = 0;
        while (limit == -1 || p1 <= limit) {
            char c1 = charAt(id, p1);
            char c2 = charAt(spec, p2);
            char next = charAt(spec, p2 + 1);
            if (c2 == '>' && next != '>' && c1 == 0) {
                return p2;
            }
            if (c2 == '>' && next != '>') {
                return 0;
            }
            if (c2 == '>') {
                c2 = charAt(spec, ++p2);
            }
            if (c1 != c2) {
                if (limit > -1 && p1 == limit && c1 == 0 && isSpace(c2)) {
                    return p1 - 1;
                }
                return 0;
            }
            if (c1 == 0) {
                return p1;
            }
            p1++;
            p2++;
        }
        return 0;
    }

    private static char charAt(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    /** grub_isspace. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
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
