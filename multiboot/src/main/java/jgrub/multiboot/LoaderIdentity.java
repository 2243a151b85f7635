package jgrub.multiboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * What jgrub tells a kernel about itself and how it forms command lines, chosen so that Xen and dom0 receive exactly
 * what GRUB 2 gives them for the same {@code grub.cfg}.
 *
 * <p>The boot loader name: Xen's {@code cmdline_cook} (xen/arch/x86/setup.c) drops the first word of its own and of
 * dom0's command line unless {@code loader_is_grub2}, that is unless the name contains "GRUB " followed by a character
 * other than '0' (GRUB Legacy called itself "GNU GRUB 0.97" and passed the image path first). jgrub therefore calls
 * itself "jgrub VERSION (GRUB 2 compatible)" and, like GRUB 2, passes only the arguments after the image path, never
 * the path. With this pair Xen keeps every word, exactly as under GRUB 2; a name without "GRUB 2" would make Xen
 * swallow the first real option.
 */
public final class LoaderIdentity {

    private LoaderIdentity() {
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = LoaderIdentity.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the resource is inside jgrub's own jar; without it the version is simply unknown
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /** The boot loader name passed in MB1 boot_loader_name and MB2 tag 2. */
    public static String loaderName() {
        return "jgrub " + version() + " (GRUB 2 compatible)";
    }

    /**
     * A command line as GRUB 2's {@code grub_create_loader_cmdline} (grub-core/lib/cmdline.c) builds it from the words
     * after the path, NUL included: words joined by one space; a word containing a space is put in double quotes;
     * backslash, single and double quotes are escaped with a backslash, except that a {@code \xHH} escape passes as
     * it is. No words give the empty string.
     */
    public static byte[] commandLine(List<String> words) {
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
        byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[text.length + 1];
        System.arraycopy(text, 0, withNul, 0, text.length);
        return withNul;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A NUL-terminated string. */
    public static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }
}
