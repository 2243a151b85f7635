package jgrub.config.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GRUB's environment block file ({@code grubenv}, grub-core/lib/envblk.c): a signature line, {@code name=value}
 * lines with backslash escapes for backslash and newline, padded with {@code #} to 1024 bytes.
 */
final class GrubEnvBlock {

    static final String SIGNATURE = "# GRUB Environment Block\n";
    static final int SIZE = 1024;

    private GrubEnvBlock() {
    }

    /** The variables of a block, or null when the signature is missing (GRUB: "invalid environment block"). */
    static Map<String, String> parse(String text) {
        if (!text.startsWith(SIGNATURE)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = SIGNATURE.length();
        while (i < text.length()) {
            int end = i;
            StringBuilder line = new StringBuilder();
            while (end < text.length() && text.charAt(end) != '\n') {
                char c = text.charAt(end);
                if (c == '\\' && end + 1 < text.length()) {
                    c = text.charAt(++end);
                }
                line.append(c);
                end++;
            }
            String l = line.toString();
            int eq = l.indexOf('=');
            if (!l.startsWith("#") && eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
            i = end + 1;
        }
        return out;
    }

    static String format(Map<String, String> variables) {
        StringBuilder out = new StringBuilder(SIGNATURE);
        variables.forEach((k, v) -> out.append(k).append('=')
                .append(v.replace("\\", "\\\\").replace("\n", "\\\n")).append('\n'));
        while (out.length() < SIZE) {
            out.append('#');
        }
        return out.toString();
    }
}
