package jgrub.fat;

/**
 * The three FAT variants, decided by the count of data clusters alone (Microsoft FAT specification 1.03, section
 * 3.5): fewer than 4085 is FAT12, fewer than 65525 FAT16, else FAT32. Each constant knows where its entries sit and
 * what their values mean, so the 12-bit packing lives only here.
 */
public enum FatType {
    FAT12(0xFF7L) {
        @Override
        long entryOffset(long cluster) {
            return cluster + (cluster >>> 1);
        }

        @Override
        long decode(long raw, long cluster) {
            return (cluster & 1) == 0 ? raw & 0xFFF : (raw >>> 4) & 0xFFF;
        }

        @Override
        long encode(long previousRaw, long cluster, long value) {
            return (cluster & 1) == 0 ? (previousRaw & 0xF000) | value : (previousRaw & 0x000F) | value << 4;
        }

        @Override
        int entryBytes() {
            return 2;
        }
    },
    FAT16(0xFFF7L) {
        @Override
        long entryOffset(long cluster) {
            return cluster * 2;
        }

        @Override
        long decode(long raw, long cluster) {
            return raw & 0xFFFF;
        }

        @Override
        long encode(long previousRaw, long cluster, long value) {
            return value;
        }

        @Override
        int entryBytes() {
            return 2;
        }
    },
    FAT32(0x0FFFFFF7L) {
        @Override
        long entryOffset(long cluster) {
            return cluster * 4;
        }

        @Override
        long decode(long raw, long cluster) {
            // The top four bits are reserved (FAT specification 4.1).
            return raw & 0x0FFFFFFFL;
        }

        @Override
        long encode(long previousRaw, long cluster, long value) {
            return (previousRaw & 0xF0000000L) | value;
        }

        @Override
        int entryBytes() {
            return 4;
        }
    };

    private final long bad;

    FatType(long bad) {
        this.bad = bad;
    }

    /** Byte offset of cluster {@code cluster}'s entry in the FAT. */
    abstract long entryOffset(long cluster);

    /** The entry value from the little-endian bytes ({@link #entryBytes()} of them) at {@link #entryOffset}. */
    abstract long decode(long raw, long cluster);

    /** The raw bytes to store so that {@link #decode} yields {@code value}, keeping a FAT12 neighbour's nibble. */
    abstract long encode(long previousRaw, long cluster, long value);

    abstract int entryBytes();

    /** The "bad cluster" mark. */
    public long badMark() {
        return bad;
    }

    /** End-of-chain mark as written (any value above {@link #badMark()} ends a chain). */
    public long endOfChain() {
        return bad | 0xF;
    }

    /** Reads cluster {@code cluster}'s entry from a whole FAT held in {@code fat} (little-endian). */
    public long get(java.nio.ByteBuffer fat, long cluster) {
        int at = (int) entryOffset(cluster);
        long raw = entryBytes() == 2 ? Short.toUnsignedInt(fat.getShort(at)) : Integer.toUnsignedLong(fat.getInt(at));
        return decode(raw, cluster);
    }

    /** Sets cluster {@code cluster}'s entry in a whole FAT held in {@code fat} (little-endian). */
    public void put(java.nio.ByteBuffer fat, long cluster, long value) {
        int at = (int) entryOffset(cluster);
        if (entryBytes() == 2) {
            fat.putShort(at, (short) encode(Short.toUnsignedInt(fat.getShort(at)), cluster, value));
        } else {
            fat.putInt(at, (int) encode(Integer.toUnsignedLong(fat.getInt(at)), cluster, value));
        }
    }

    /** Bits per FAT entry: 12, 16 or 32. */
    public int bits() {
        return this == FAT12 ? 12 : this == FAT16 ? 16 : 32;
    }

    /** The smallest and largest cluster counts of this type (FAT specification 3.5). */
    public long minClusters() {
        return this == FAT12 ? 1 : this == FAT16 ? 4085 : 65525;
    }

    public long maxClusters() {
        return this == FAT12 ? 4084 : this == FAT16 ? 65524 : BootSector.MAX_FAT32_CLUSTERS;
    }

    boolean isEndOfChain(long value) {
        return value > bad;
    }

    static FatType forClusterCount(long clusters) {
        return clusters < 4085 ? FAT12 : clusters < 65525 ? FAT16 : FAT32;
    }
}
