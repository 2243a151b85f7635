package jgrub.multiboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import jgrub.boot.GrubCommandLine;

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
     * A command line as GRUB 2's {@code grub_create_loader_cmdline} builds it from the words after the path, NUL
     * included ({@link GrubCommandLine}).
     */
    public static byte[] commandLine(List<String> words) {
        return GrubCommandLine.of(words);
    }

    /** A NUL-terminated string. */
    public static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }
}
