package jgrub.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import jgrub.disk.BlockDevice;

/**
 * Reads entries of the active FAT through a small cache of 64 KiB pages, so that a FAT of any size (FAT32 allows
 * 1 GiB) costs at most a few MiB of heap.
 */
final class FatTable {

    private static final int PAGE_SHIFT = 16;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int MAX_PAGES = 64;

    private final BlockDevice device;
    private final BootSector boot;
    private final FatType type;
    private final long fatOffset;
    private final long fatBytes;
    /** The last cluster whose entry lies inside both the FAT and the partition. */
    private final long lastReadable;
    private final Map<Long, ByteBuffer> pages = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ByteBuffer> eldest) {
            return size() > MAX_PAGES;
        }
    };

    FatTable(BlockDevice device, BootSector boot) {
        this.device = device;
        this.boot = boot;
        this.type = boot.type();
        this.fatOffset = boot.fatOffset();
        this.fatBytes = boot.fatSectors() * boot.bytesPerSector();
        long bytes = Math.max(0, Math.min(fatBytes, device.size() - fatOffset));
        long last = bytes * 8 / type.bits() - 1;
        while (last >= 0 && type.entryOffset(last) + type.entryBytes() > bytes) {
            last--;
        }
        this.lastReadable = last;
    }

    /** The entry of {@code cluster}, which the caller has checked to be in 0..maxCluster. */
    synchronized long get(long cluster) throws IOException {
        checkReadable(cluster);
        long offset = type.entryOffset(cluster);
        long raw;
        if (type == FatType.FAT12) {
            raw = u8(offset) | u8(offset + 1) << 8;
        } else {
            ByteBuffer page = page(offset >>> PAGE_SHIFT);
            int at = (int) (offset & (PAGE_SIZE - 1));
            raw = type == FatType.FAT16 ? Short.toUnsignedInt(page.getShort(at)) : Integer.toUnsignedLong(page.getInt(at));
        }
        return type.decode(raw, cluster);
    }

    /**
     * The length of the run of clusters from {@code cluster} that link to their successor ({@code entry(c) == c+1}),
     * at most {@code max} and never past the last data cluster: the contiguous part of a chain, scanned in one go.
     */
    synchronized long contiguous(long cluster, long max) throws IOException {
        checkReadable(cluster);
        long limit = Math.min(max, Math.min(boot.maxCluster(), lastReadable) - cluster + 1);
        long n = 1;
        if (type == FatType.FAT12) {
            while (n < limit && get(cluster + n - 1) == cluster + n) {
                n++;
            }
            return n;
        }
        int width = type.entryBytes();
        while (n < limit) {
            long c = cluster + n - 1;
            long offset = type.entryOffset(c);
            ByteBuffer page = page(offset >>> PAGE_SHIFT);
            int at = (int) (offset & (PAGE_SIZE - 1));
            int end = page.limit();
            while (n < limit && at + width <= end) {
                long raw = width == 2 ? Short.toUnsignedInt(page.getShort(at)) : Integer.toUnsignedLong(page.getInt(at));
                if (type.decode(raw, c) != c + 1) {
                    return n;
                }
                n++;
                c++;
                at += width;
            }
        }
        return n;
    }

    /** The last cluster whose entry can be read: the FAT or the partition may end before the volume's last cluster. */
    long lastReadable() {
        return lastReadable;
    }

    /**
     * A volume may claim more clusters than its FAT has entries for, or more sectors than its partition holds; GRUB
     * mounts it and fails only the read that needs a missing entry, and so does jgrub.
     */
    private void checkReadable(long cluster) throws FatFormatException {
        if (cluster > lastReadable) {
            boolean pastFat = type.entryOffset(cluster) + type.entryBytes() > fatBytes;
            throw FatFormatException.corrupt("FAT", "cluster", cluster, entryImageOffset(cluster), pastFat
                    ? "its entry lies past the end of the FAT, which has room for clusters up to 0x"
                            + Directories.hex(fatBytes * 8 / type.bits() - 1)
                    : "its entry lies past the end of the partition at 0x"
                            + Directories.hex(device.imageOffset(device.size())));
        }
    }

    /** Absolute image offset of {@code cluster}'s entry, for messages. */
    long entryImageOffset(long cluster) {
        return device.imageOffset(fatOffset + type.entryOffset(cluster));
    }

    private long u8(long offset) throws IOException {
        return Byte.toUnsignedLong(page(offset >>> PAGE_SHIFT).get((int) (offset & (PAGE_SIZE - 1))));
    }

    private ByteBuffer page(long index) throws IOException {
        ByteBuffer page = pages.get(index);
        if (page == null) {
            long start = index << PAGE_SHIFT;
            int length = (int) Math.min(PAGE_SIZE, Math.min(fatBytes, device.size() - fatOffset) - start);
            page = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            device.read(fatOffset + start, page);
            page.clear();
            pages.put(index, page);
        }
        return page;
    }

    BootSector boot() {
        return boot;
    }
}
