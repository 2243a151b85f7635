package jgrub.boot;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The command line GRUB 2 gives a kernel or module, built from the words after its path (Multiboot, Linux). */
public final class GrubCommandLine {

    private GrubCommandLine() {
    }

    /**
     * A command line as GRUB 2's {@code grub_create_loader_cmdline} (grub-core/lib/cmdline.c) builds it from the words
     * after the path, NUL included: words joined by one space; a word containing a space is put in double quotes;
     * backslash, single and double quotes are escaped with a backslash, except that a {@code \xHH} escape passes as
     * it is. No words give the empty string.
     */
    public static byte[] of(List<String> words) {
        byte[] text = text(words).getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[text.length + 1];
        System.arraycopy(text, 0, withNul, 0, text.length);
        return withNul;
    }

    /** The same without the NUL. */
    public static String text(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String word : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            boolean space = word.indexOf(' ') >= 0;
            if (space) {
                b.append('"');
            }
            for (int i = 0; i < word.length(); i++) {
                char ch = word.charAt(i);
                if (ch == '\\' && i + 3 < word.length() && word.charAt(i + 1) == 'x' && isHex(word.charAt(i + 2))
                        && isHex(word.charAt(i + 3))) {
                    b.append(word, i, i + 4);
                    i += 3;
                    continue;
                }
                if (ch == '\\' || ch == '\'' || ch == '"') {
                    b.append('\\');
                }
                b.append(ch);
            }
            if (space) {
                b.append('"');
            }
        }
        return b.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
