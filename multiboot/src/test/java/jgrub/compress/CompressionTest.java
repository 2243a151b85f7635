package jgrub.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CompressionTest {

    static byte[] data() {
        byte[] b = new byte[100_000];
        new Random(7).nextBytes(b);
        Arrays.fill(b, 50_000, 90_000, (byte) 0);
        return b;
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static byte[] xz(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream z = new XZOutputStream(out, new LZMA2Options(1))) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void gzipAndXz_areUnpacked_plainPassesUnchanged() throws Exception {
        byte[] d = data();
        assertArrayEquals(d, Compression.unpack("f", gzip(d), 1 << 20));
        assertArrayEquals(d, Compression.unpack("f", xz(d), 1 << 20));
        assertSame(d, Compression.unpack("f", d, 1 << 20));
        assertEquals(Compression.GZIP, Compression.detect(gzip(d)));
        assertEquals(Compression.XZ, Compression.detect(xz(d)));
    }

    @Test
    void decompressionBomb_isRefusedAtTheLimit() throws Exception {
        byte[] zeros = new byte[4 << 20];
        CompressionException e = assertThrows(CompressionException.class,
                () -> Compression.unpack("bomb.gz", gzip(zeros), 1 << 20));
        assertEquals("bomb.gz: gzip data unpacks to more than 0x100000 bytes, the limit (a decompression bomb, or"
                + " raise the limit)", e.getMessage());
        e = assertThrows(CompressionException.class, () -> Compression.unpack("bomb.xz", xz(zeros), 1 << 20));
        assertEquals("bomb.xz: xz data unpacks to more than 0x100000 bytes, the limit (a decompression bomb, or"
                + " raise the limit)", e.getMessage());
    }

    @Test
    void truncatedGzip_isCorrupt() throws Exception {
        byte[] z = gzip(data());
        CompressionException e = assertThrows(CompressionException.class,
                () -> Compression.unpack("t.gz", Arrays.copyOf(z, z.length / 2), 1 << 20));
        assertEquals("t.gz: gzip data is truncated (corrupt)", e.getMessage());
    }

    @Test
    void corruptXz_isCorrupt() throws Exception {
        byte[] z = xz(data());
        z[z.length / 2] ^= 0x55;
        CompressionException e = assertThrows(CompressionException.class, () -> Compression.unpack("c.xz", z, 1 << 20));
        assertEquals(true, e.getMessage().startsWith("c.xz: xz data is corrupt"), e.getMessage());
    }
}
