package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** QEMU's screendump PPM (P6, 8-bit samples) read into an image for PNG. */
class ScreenshotTest {

    private static byte[] ppm(String header, byte... samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(samples);
        return out.toByteArray();
    }

    @Test
    void p6_withAComment_isReadPixelByPixel() throws IOException {
        BufferedImage image = Screenshot.fromPpm(ppm("P6\n# by QEMU\n2 1\n255\n", (byte) 0x12, (byte) 0x34,
                (byte) 0x56, (byte) 0xff, (byte) 0, (byte) 0x80));
        assertEquals(2, image.getWidth());
        assertEquals(1, image.getHeight());
        assertEquals(0x123456, image.getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0080, image.getRGB(1, 0) & 0xffffff);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "P3 ascii       | P3 1 1 255 0 0 0 | screendump: unsupported image format 'P3', not a binary PPM (P6)",
        "16-bit samples | 'P6 1 1 65535 '  | screendump: unsupported PPM maximum value 65535",
        "no width       | 'P6 x 1 255 '    | screendump: corrupt PPM width 'x'",
        "huge height    | 'P6 1 99999 255 '| screendump: corrupt PPM height '99999'",
        "short samples  | 'P6 2 2 255 '    | screendump: corrupt PPM: 2x2 needs 12 bytes of samples, 3 follow the header",
    })
    void malformed_isRefusedWithWhatIsWrong(String name, String header, String message) {
        IOException e = assertThrows(IOException.class, () -> Screenshot.fromPpm(ppm(header, (byte) 1, (byte) 2,
                (byte) 3)));
        assertEquals(message, e.getMessage(), name);
    }
}
