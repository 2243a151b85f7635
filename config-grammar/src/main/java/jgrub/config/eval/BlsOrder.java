package jgrub.config.eval;

import java.util.List;

/**
 * The order Fedora's GRUB gives BootLoaderSpec entries (rhboot/grub2 fedora-39 and fedora-40,
 * grub-core/commands/blscfg.c: {@code vercmp}, {@code split_package_string}, {@code split_cmp}, {@code bls_cmp},
 * {@code bls_add_entry}): the file names, not the {@code version} keys, are compared as rpm package names
 * NAME-VERSION-RELEASE (split at the last two dashes) with rpm's version comparison, newest first. RHEL 8's GRUB
 * sorts by the {@code version} key first; that one is not reproduced here.
 */
final class BlsOrder {

    private BlsOrder() {
    }

    /**
     * Inserts {@code entry} as {@code bls_add_entry} does: before the first entry it is newer than; an entry that
     * compares equal to one met before that place is dropped (GRUB returns an error nobody reads). The comparison is
     * not a total order for odd names, so the result depends on the order files come in, as in GRUB.
     */
    static void insert(List<BlsEntry> sorted, BlsEntry entry) {
        for (int i = 0; i < sorted.size(); i++) {
            int rc = compareIds(entry.id(), sorted.get(i).id());
            if (rc == 0) {
                return;
            }
            if (rc == 1) {
                sorted.add(i, entry);
                return;
            }
        }
        sorted.add(entry);
    }

    /** {@code split_cmp(id0, id1, 1)}: name, then version, then release; 1 when {@code a} is newer. */
    static int compareIds(String a, String b) {
        String[] nvr0 = split(a);
        String[] nvr1 = split(b);
        for (int i = 0; i < 3; i++) {
            int ret = vercmp(nvr0[i] == null ? "" : nvr0[i], nvr1[i] == null ? "" : nvr1[i]);
            if (ret != 0) {
                return ret;
            }
        }
        return 0;
    }

    /** {@code split_package_string} with a name: release after the last dash, version after the one before. */
    static String[] split(String id) {
        int dash = id.lastIndexOf('-');
        String release = dash < 0 ? null : id.substring(dash + 1);
        String rest = dash < 0 ? id : id.substring(0, dash);
        dash = rest.lastIndexOf('-');
        String version = dash < 0 ? null : rest.substring(dash + 1);
        String name = dash < 0 ? rest : rest.substring(0, dash);
        if (version == null) {
            version = release;
            release = null;
        }
        return new String[] {name, version, release};
    }

    /**
     * rpm's {@code rpmvercmp} as blscfg.c copies it, with rpm's {@code ~} (sorts before everything, even the end) and
     * {@code +} (sorts after the end): 1 when {@code a} is newer, -1 when {@code b} is, 0 when equal. Segments are
     * runs of ASCII digits or ASCII letters; anything else separates them; a number beats letters; numbers compare
     * by value (leading zeros dropped, then length, then digits).
     */
    static int vercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        char[] s1 = (a + '\0').toCharArray();
        char[] s2 = (b + '\0').toCharArray();
        int one = 0;
        int two = 0;
        while (s1[one] != 0 || s2[two] != 0) {
            while (s1[one] != 0 && !isAlnum(s1[one]) && s1[one] != '~' && s1[one] != '+') {
                one++;
            }
            while (s2[two] != 0 && !isAlnum(s2[two]) && s2[two] != '~' && s2[two] != '+') {
                two++;
            }
            if (s1[one] == '~' || s2[two] == '~') {
                if (s1[one] != '~') {
                    return 1;
                }
                if (s2[two] != '~') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (s1[one] == '+' || s2[two] == '+') {
                if (s1[one] == 0) {
                    return -1;
                }
                if (s2[two] == 0) {
                    return 1;
                }
                if (s1[one] != '+') {
                    return 1;
                }
                if (s2[two] != '+') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (s1[one] == 0 || s2[two] == 0) {
                break;
            }
            int end1 = one;
            int end2 = two;
            boolean isNum = isDigit(s1[end1]);
            if (isNum) {
                while (isDigit(s1[end1])) {
                    end1++;
                }
                while (isDigit(s2[end2])) {
                    end2++;
                }
            } else {
                while (isAlpha(s1[end1])) {
                    end1++;
                }
                while (isAlpha(s2[end2])) {
                    end2++;
                }
            }
            if (one == end1) {
                return -1;
            }
            if (two == end2) {
                return isNum ? 1 : -1;
            }
            int from1 = one;
            int from2 = two;
            if (isNum) {
                while (s1[from1] == '0' && from1 < end1) {
                    from1++;
                }
                while (s2[from2] == '0' && from2 < end2) {
                    from2++;
                }
                int len1 = end1 - from1;
                int len2 = end2 - from2;
                if (len1 != len2) {
                    return len1 > len2 ? 1 : -1;
                }
            }
            int rc = compare(s1, from1, end1, s2, from2, end2);
            if (rc != 0) {
                return rc < 0 ? -1 : 1;
            }
            one = end1;
            two = end2;
        }
        if (s1[one] == 0 && s2[two] == 0) {
            return 0;
        }
        return s1[one] == 0 ? -1 : 1;
    }

    /** strcmp of two segments. */
    private static int compare(char[] s1, int from1, int end1, char[] s2, int from2, int end2) {
        int len1 = end1 - from1;
        int len2 = end2 - from2;
        for (int i = 0; i < Math.min(len1, len2); i++) {
            int d = s1[from1 + i] - s2[from2 + i];
            if (d != 0) {
                return d;
            }
        }
        return len1 - len2;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }
}
