package jgrub.fat.write;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** 8.3 names for long names: the basis name and numeric tail of the FAT specification, section 7.4. */
final class ShortNameGenerator {

    /** Characters allowed in a short name besides A-Z and 0-9 (FAT specification 6.1). */
    private static final String SPECIAL = "$%'-_@~`!(){}^#&";
    private static final Pattern PLAIN = Pattern.compile("[A-Z0-9$%'\\-_@~`!(){}^#&]{1,8}(\\.[A-Z0-9$%'\\-_@~`!(){}^#&]{1,3})?");

    private ShortNameGenerator() {
    }

    /** Whether {@code name} is already a valid upper-case 8.3 name and needs no long-name entries. */
    static boolean isPlain(String name) {
        return PLAIN.matcher(name).matches();
    }

    /** The 11 bytes (space padded) of a plain 8.3 name. */
    static byte[] raw(String plain) {
        int dot = plain.indexOf('.');
        String base = dot < 0 ? plain : plain.substring(0, dot);
        String ext = dot < 0 ? "" : plain.substring(dot + 1);
        return pad(base, ext);
    }

    private static byte[] pad(String base, String ext) {
        String padded = String.format(Locale.ROOT, "%-8s%-3s", base, ext);
        return padded.getBytes(StandardCharsets.US_ASCII);
    }

    /** An alias {@code BASIS~N.EXT} not in {@code taken} (11-byte names as ISO-8859-1 strings). */
    static byte[] alias(String longName, Set<String> taken) {
        String upper = longName.toUpperCase(Locale.ROOT);
        if (isPlain(upper)) {
            // Only the case differs: the basis name is not lossy and needs no numeric tail (section 7.4).
            byte[] raw = raw(upper);
            if (!taken.contains(new String(raw, StandardCharsets.ISO_8859_1))) {
                return raw;
            }
        }
        upper = upper.replace(" ", "");
        while (upper.startsWith(".")) {
            upper = upper.substring(1);
        }
        int dot = upper.lastIndexOf('.');
        String base = clean(dot < 0 ? upper : upper.substring(0, dot).replace(".", ""));
        String ext = clean(dot < 0 ? "" : upper.substring(dot + 1));
        if (ext.length() > 3) {
            ext = ext.substring(0, 3);
        }
        if (base.isEmpty()) {
            base = "_";
        }
        for (int n = 1; n < 1_000_000; n++) {
            String tail = "~" + n;
            String b = base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail;
            byte[] raw = pad(b, ext);
            if (!taken.contains(new String(raw, StandardCharsets.ISO_8859_1))) {
                return raw;
            }
        }
        throw new IllegalStateException("a directory cannot hold a million entries");
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SPECIAL.indexOf(c) >= 0 ? c : '_');
        }
        return b.toString();
    }
}
