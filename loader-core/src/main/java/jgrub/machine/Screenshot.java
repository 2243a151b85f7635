package jgrub.machine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The display as a PNG: QEMU's {@code screendump} writes a binary PPM (netpbm's P6 with a maximum value of 255, as
 * QEMU's ui/console.c writes it), which this turns into PNG with the JDK's ImageIO.
 */
final class Screenshot {

    /** Larger than any display QEMU has: a corrupt header cannot make this allocate without bound. */
    static final int MAX_SIDE = 1 << 14;
    /** netpbm's largest maximum sample value. */
    static final int MAX_SAMPLE = 65535;

    private Screenshot() {
    }

    /** Has QEMU dump the display and saves it as PNG at {@code png}. */
    static void save(QemuProcess qemu, Path png) throws IOException {
        Path absolute = png.toAbsolutePath();
        Path ppm = Files.createTempFile(absolute.getParent(), ".jgrub-screendump-", ".ppm");
        try {
            qemu.screendump(ppm);
            BufferedImage image = fromPpm(Files.readAllBytes(ppm));
            if (!ImageIO.write(image, "png", absolute.toFile())) {
                throw new IOException("the JDK has no PNG writer");
            }
        } finally {
            Files.deleteIfExists(ppm);
        }
    }

    /** A P6 image with 8-bit samples; anything else is refused as unsupported, a short one as corrupt. */
    static BufferedImage fromPpm(byte[] ppm) throws IOException {
        int[] at = {0};
        String magic = token(ppm, at);
        if (!magic.equals("P6")) {
            throw new IOException("screendump: unsupported image format '" + magic + "', not a binary PPM (P6)");
        }
        int width = number(ppm, at, "width", MAX_SIDE);
        int height = number(ppm, at, "height", MAX_SIDE);
        int max = number(ppm, at, "maximum value", MAX_SAMPLE);
        if (max != 255) {
            throw new IOException("screendump: unsupported PPM maximum value " + max);
        }
        at[0]++; // the single whitespace before the samples
        long samples = 3L * width * height;
        if (ppm.length - at[0] < samples) {
            throw new IOException("screendump: corrupt PPM: " + width + "x" + height + " needs " + samples
                    + " bytes of samples, " + (ppm.length - at[0]) + " follow the header");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int p = at[0];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++, p += 3) {
                image.setRGB(x, y, (ppm[p] & 0xff) << 16 | (ppm[p + 1] & 0xff) << 8 | ppm[p + 2] & 0xff);
            }
        }
        return image;
    }

    private static int number(byte[] ppm, int[] at, String field, int max) throws IOException {
        String text = token(ppm, at);
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
            throw new IOException("screendump: corrupt PPM " + field + " '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** The next whitespace-separated header token, skipping '#' comments. */
    private static String token(byte[] ppm, int[] at) {
        int i = at[0];
        while (i < ppm.length && (Character.isWhitespace(ppm[i]) || ppm[i] == '#')) {
            if (ppm[i] == '#') {
                while (i < ppm.length && ppm[i] != '\n') {
                    i++;
                }
            } else {
                i++;
            }
        }
        int start = i;
        while (i < ppm.length && !Character.isWhitespace(ppm[i]) && i - start < 16) {
            i++;
        }
        at[0] = i;
        return new String(ppm, start, i - start, StandardCharsets.US_ASCII);
    }
}
