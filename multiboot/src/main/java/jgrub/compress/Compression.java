package jgrub.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/**
 * The container formats GRUB's file filters unpack transparently when a kernel or module is opened ({@code gzio},
 * {@code xzio}); a file in none of them is passed through unchanged, as GRUB does. The kind is chosen once, from the
 * magic bytes, as GRUB's filters test them (gzio: RFC 1952 section 2.3.1 ID1 ID2; xzio: xz file format 1.0.4 section
 * 2.1.1.1 header magic).
 */
public enum Compression {
    NONE("uncompressed"),
    GZIP("gzip"),
    XZ("xz");

    /** What jgrub unpacks at most, unless told otherwise: large enough for any kernel or initrd, far below a heap. */
    public static final long DEFAULT_LIMIT = 512L << 20;

    /** xz decoder memory: the dictionary of {@code xz -9} is 64 MiB; more is refused rather than allocated. */
    private static final int XZ_MEMORY_LIMIT_KIB = 96 * 1024;

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    /** How many of a file's first bytes {@link #detect} looks at. */
    public static final int MAGIC_BYTES = XZ_MAGIC.length;

    private final String displayName;

    Compression(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static Compression detect(byte[] data) {
        if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (data.length >= XZ_MAGIC.length && Arrays.equals(data, 0, XZ_MAGIC.length, XZ_MAGIC, 0, XZ_MAGIC.length)) {
            return XZ;
        }
        return NONE;
    }

    /**
     * The file's contents as GRUB's filters deliver them: unpacked if gzip or xz, else unchanged. Output beyond
     * {@code limit} bytes is an error, so that a decompression bomb is refused instead of exhausting memory.
     */
    public static byte[] unpack(String name, byte[] data, long limit) throws CompressionException {
        Compression kind = detect(data);
        if (kind == NONE) {
            return data;
        }
        try (InputStream in = kind.open(data)) {
            return readBounded(name, kind, in, limit);
        } catch (MemoryLimitException e) {
            throw new CompressionException(name + ": xz stream needs " + e.getMemoryNeeded()
                    + " KiB of dictionary, more than the " + XZ_MEMORY_LIMIT_KIB + " KiB jgrub allows (unsupported)", e);
        } catch (ZipException e) {
            throw new CompressionException(name + ": gzip data is corrupt: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new CompressionException(name + ": " + kind.displayName + " data is truncated (corrupt)", e);
        } catch (org.tukaani.xz.UnsupportedOptionsException e) {
            throw new CompressionException(name + ": xz options are unsupported: " + e.getMessage(), e);
        } catch (org.tukaani.xz.XZIOException e) {
            throw new CompressionException(name + ": xz data is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CompressionException(name + ": cannot unpack " + kind.displayName + " data: " + e.getMessage()
                    + " (corrupt)", e);
        }
    }

    private InputStream open(byte[] data) throws IOException {
        java.io.ByteArrayInputStream raw = new java.io.ByteArrayInputStream(data);
        return switch (this) {
            case GZIP -> new GZIPInputStream(raw, 64 * 1024);
            case XZ -> new XZInputStream(raw, XZ_MEMORY_LIMIT_KIB);
            case NONE -> raw;
        };
    }

    private static byte[] readBounded(String name, Compression kind, InputStream in, long limit)
            throws IOException, CompressionException {
        long cap = Math.min(limit, Integer.MAX_VALUE - 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > cap) {
                throw new CompressionException(name + ": " + kind.displayName + " data unpacks to more than 0x"
                        + Long.toHexString(cap) + " bytes, the limit (a decompression bomb, or raise the limit)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
