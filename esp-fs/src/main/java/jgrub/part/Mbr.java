package jgrub.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jgrub.disk.BlockDevice;

/** Master boot record: four primary entries at 0x1BE and a chain of extended boot records for logicals. */
final class Mbr {

    private static final int ENTRY_SIZE = 16;
    private static final int STATUS = 0;
    private static final int TYPE = 4;
    private static final int FIRST_LBA = 8;
    private static final int SECTORS = 12;
    private static final int MAX_LOGICAL = 256;

    private Mbr() {
    }

    static boolean hasProtectiveEntry(ByteBuffer sector0) {
        for (int i = 0; i < 4; i++) {
            if (Byte.toUnsignedInt(sector0.get(PartitionTable.MBR_TABLE_OFFSET + i * ENTRY_SIZE + TYPE))
                    == PartitionTable.TYPE_GPT_PROTECTIVE) {
                return true;
            }
        }
        return false;
    }

    static boolean isExtended(int type) {
        return type == 0x05 || type == 0x0F || type == 0x85;
    }

    static PartitionTable read(BlockDevice disk, ByteBuffer sector0) throws IOException {
        int sectorSize = sectorSize(disk, sector0);
        List<Partition> partitions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long extendedStart = -1;
        for (int i = 0; i < 4; i++) {
            int e = PartitionTable.MBR_TABLE_OFFSET + i * ENTRY_SIZE;
            int status = Byte.toUnsignedInt(sector0.get(e + STATUS));
            int type = Byte.toUnsignedInt(sector0.get(e + TYPE));
            if (status != 0 && status != 0x80) {
                throw PartitionTableException.corrupt("MBR partition " + (i + 1), "status", status,
                        disk.imageOffset(e + STATUS), "not 0x00 or 0x80");
            }
            if (type == 0) {
                continue;
            }
            long first = Integer.toUnsignedLong(sector0.getInt(e + FIRST_LBA));
            long count = Integer.toUnsignedLong(sector0.getInt(e + SECTORS));
            if (isExtended(type)) {
                if (extendedStart >= 0) {
                    throw PartitionTableException.unsupported("MBR partition " + (i + 1), "type", type,
                            disk.imageOffset(e + TYPE), "a second extended partition");
                }
                extendedStart = first;
                long[] bounds = {first, count};
                readLogicals(disk, sectorSize, bounds, partitions, offsets);
                continue;
            }
            partitions.add(partition(i + 1, type, first, count, sectorSize));
            offsets.add(disk.imageOffset(e));
        }
        PartitionTable.checkLayout(disk, "MBR", partitions, offsets);
        return new PartitionTable(PartitionScheme.MBR, sectorSize, partitions, List.of());
    }

    private static Partition partition(int number, int type, long first, long count, int sectorSize) {
        return new Partition(number, PartitionScheme.MBR, null, null, type, "", first * sectorSize,
                count * sectorSize, first, type == 0xEF);
    }

    /** Walks the EBR chain; each link is relative to the extended partition's start (logicals to their EBR). */
    private static void readLogicals(BlockDevice disk, int sectorSize, long[] extended, List<Partition> partitions,
            List<Long> offsets) throws IOException {
        long extStart = extended[0];
        long ebr = extStart;
        Set<Long> seen = new HashSet<>();
        int number = 5;
        while (true) {
            long ebrOffset = ebr * sectorSize;
            if (!seen.add(ebr) || seen.size() > MAX_LOGICAL) {
                throw PartitionTableException.corrupt("MBR extended boot record", "next EBR", ebr,
                        disk.imageOffset(ebrOffset), seen.size() > MAX_LOGICAL ? "more than " + MAX_LOGICAL
                                + " logical partitions" : "chain loops back to an earlier EBR");
            }
            if (ebrOffset + 512 > disk.size()) {
                throw PartitionTableException.corrupt("MBR extended boot record", "LBA", ebr,
                        disk.imageOffset(Math.min(ebrOffset, disk.size())), "past the end of the image");
            }
            ByteBuffer s = PartitionTable.readSector(disk, ebrOffset, 512);
            if (Short.toUnsignedInt(s.getShort(PartitionTable.MBR_SIGNATURE_OFFSET)) != 0xAA55) {
                throw PartitionTableException.corrupt("MBR extended boot record", "signature",
                        Short.toUnsignedInt(s.getShort(PartitionTable.MBR_SIGNATURE_OFFSET)),
                        disk.imageOffset(ebrOffset + PartitionTable.MBR_SIGNATURE_OFFSET), "not 0xAA55");
            }
            int e0 = PartitionTable.MBR_TABLE_OFFSET;
            int type = Byte.toUnsignedInt(s.get(e0 + TYPE));
            if (type != 0) {
                long first = ebr + Integer.toUnsignedLong(s.getInt(e0 + FIRST_LBA));
                long count = Integer.toUnsignedLong(s.getInt(e0 + SECTORS));
                partitions.add(partition(number++, type, first, count, sectorSize));
                offsets.add(disk.imageOffset(ebrOffset + e0));
            }
            int e1 = e0 + ENTRY_SIZE;
            int nextType = Byte.toUnsignedInt(s.get(e1 + TYPE));
            if (nextType == 0) {
                return;
            }
            ebr = extStart + Integer.toUnsignedLong(s.getInt(e1 + FIRST_LBA));
        }
    }

    /**
     * MBR LBAs are in logical sectors, which the MBR does not state. 512 unless the first partition holds a FAT
     * boot sector with 4096-byte sectors only when counted in 4096-byte sectors.
     */
    private static int sectorSize(BlockDevice disk, ByteBuffer sector0) throws IOException {
        for (int i = 0; i < 4; i++) {
            int e = PartitionTable.MBR_TABLE_OFFSET + i * ENTRY_SIZE;
            int type = Byte.toUnsignedInt(sector0.get(e + TYPE));
            long first = Integer.toUnsignedLong(sector0.getInt(e + FIRST_LBA));
            if (type == 0 || isExtended(type) || first == 0) {
                continue;
            }
            if (first * 4096 + 512 <= disk.size()
                    && !plausibleAt(disk, first * 512, 0) && plausibleAt(disk, first * 4096, 4096)) {
                return 4096;
            }
            return 512;
        }
        return 512;
    }

    private static boolean plausibleAt(BlockDevice disk, long offset, int bytesPerSector) throws IOException {
        if (offset + 512 > disk.size()) {
            return false;
        }
        ByteBuffer s = PartitionTable.readSector(disk, offset, 512);
        return FatProbe.plausible(s) && (bytesPerSector == 0 || FatProbe.bytesPerSector(s) == bytesPerSector);
    }
}
