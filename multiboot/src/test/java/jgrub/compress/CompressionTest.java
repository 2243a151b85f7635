package jgrub.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import jgrub.multiboot.TestImages;
import org.junit.jupiter.api.Test;

class CompressionTest {

    static byte[] data() {
        byte[] b = new byte[100_000];
        new Random(7).nextBytes(b);
        Arrays.fill(b, 50_000, 90_000, (byte) 0);
        return b;
    }

    @Test
    void gzipAndXz_areUnpacked_plainPassesUnchanged() throws Exception {
        byte[] d = data();
        assertArrayEquals(d, Compression.unpack("f", TestImages.gzip(d), 1 << 20));
        assertArrayEquals(d, Compression.unpack("f", TestImages.xz(d), 1 << 20));
        assertSame(d, Compression.unpack("f", d, 1 << 20));
        assertEquals(Compression.GZIP, Compression.detect(TestImages.gzip(d)));
        assertEquals(Compression.XZ, Compression.detect(TestImages.xz(d)));
    }

    @Test
    void decompressionBomb_isRefusedAtTheLimit() throws Exception {
        byte[] zeros = new byte[4 << 20];
        CompressionException e = assertThrows(CompressionException.class,
                () -> Compression.unpack("bomb.gz", TestImages.gzip(zeros), 1 << 20));
        assertEquals("bomb.gz: gzip data unpacks to more than 0x100000 bytes, the limit (a decompression bomb, or"
                + " raise the limit)", e.getMessage());
        e = assertThrows(CompressionException.class, () -> Compression.unpack("bomb.xz", TestImages.xz(zeros), 1 << 20));
        assertEquals("bomb.xz: xz data unpacks to more than 0x100000 bytes, the limit (a decompression bomb, or"
                + " raise the limit)", e.getMessage());
    }

    @Test
    void truncatedGzip_isCorrupt() throws Exception {
        byte[] z = TestImages.gzip(data());
        CompressionException e = assertThrows(CompressionException.class,
                () -> Compression.unpack("t.gz", Arrays.copyOf(z, z.length / 2), 1 << 20));
        assertEquals("t.gz: gzip data is truncated (corrupt)", e.getMessage());
    }

    @Test
    void corruptXz_isCorrupt() throws Exception {
        byte[] z = TestImages.xz(data());
        z[z.length / 2] ^= 0x55;
        CompressionException e = assertThrows(CompressionException.class, () -> Compression.unpack("c.xz", z, 1 << 20));
        assertEquals(true, e.getMessage().startsWith("c.xz: xz data is corrupt"), e.getMessage());
    }
}
