package jgrub.ext;

import java.nio.ByteBuffer;

/**
 * CRC32C (Castagnoli) as ext4's metadata_csum uses it: the raw register, seeded by the caller and never inverted at
 * the end (Linux {@code crc32c(seed, data, len)}). {@link java.util.zip.CRC32C} cannot start from an arbitrary seed,
 * which the per-inode checksums need.
 */
final class Crc32c {

    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32c() {
    }

    /** The register after {@code buffer}'s bytes {@code [from, to)}, starting from {@code crc}. */
    static int update(int crc, ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buffer.get(i)) & 0xFF];
        }
        return crc;
    }

    /** The register after the four little-endian bytes of {@code value}. */
    static int updateInt(int crc, int value) {
        for (int i = 0; i < 4; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ (value >>> (8 * i))) & 0xFF];
        }
        return crc;
    }

    /** The register after {@code count} zero bytes (a checksum field counted as zero). */
    static int updateZeros(int crc, int count) {
        for (int i = 0; i < count; i++) {
            crc = (crc >>> 8) ^ TABLE[crc & 0xFF];
        }
        return crc;
    }
}
