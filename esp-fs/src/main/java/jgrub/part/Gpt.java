package jgrub.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32;
import jgrub.disk.BlockDevice;

/**
 * GUID partition table (UEFI specification 2.10, section 5.3). The header sits at LBA 1 of the disk's logical
 * sector size (512 or 4096); entry size and count come from the header; both CRC32s are checked. When the primary
 * header or its entry array is damaged, the backup at the last LBA is used and a warning says so.
 */
final class Gpt {

    static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    // Header fields (UEFI 5.3.2, table 5-5).
    static final int SIGNATURE_OFFSET = 0;
    static final int REVISION = 8;
    static final int HEADER_SIZE = 12;
    static final int HEADER_CRC = 16;
    static final int MY_LBA = 24;
    static final int ALTERNATE_LBA = 32;
    static final int FIRST_USABLE = 40;
    static final int LAST_USABLE = 48;
    static final int DISK_GUID = 56;
    static final int ENTRY_LBA = 72;
    static final int ENTRY_COUNT = 80;
    static final int ENTRY_SIZE = 84;
    static final int ENTRY_ARRAY_CRC = 88;
    static final int MIN_HEADER_SIZE = 92;
    // Entry fields (UEFI 5.3.3, table 5-6).
    static final int TYPE_GUID = 0;
    static final int UNIQUE_GUID = 16;
    static final int STARTING_LBA = 32;
    static final int ENDING_LBA = 40;
    static final int ATTRIBUTES = 48;
    static final int NAME = 56;
    static final int NAME_BYTES = 72;
    static final int MIN_ENTRY_SIZE = 128;
    /** The specification's minimum array is 16 KiB; anything past 4 MiB is refused rather than allocated. */
    static final long MAX_ARRAY_BYTES = 4L << 20;

    private Gpt() {
    }

    static PartitionTable read(BlockDevice disk, ByteBuffer sector0) throws IOException {
        int sectorSize = findSectorSize(disk);
        try {
            return readAt(disk, sectorSize, 1);
        } catch (PartitionTableException primaryFailure) {
            long lastLba = disk.size() / sectorSize - 1;
            PartitionTable backup;
            try {
                backup = readAt(disk, sectorSize, lastLba);
            } catch (PartitionTableException backupFailure) {
                throw primaryFailure;
            }
            return new PartitionTable(PartitionScheme.GPT, sectorSize, backup.partitions(), List.of("GPT: "
                    + primaryFailure.getMessage() + "; using the backup header at LBA " + lastLba));
        }
    }

    /** The header is at LBA 1: byte 512 on 512-byte-sector disks, byte 4096 on 4K-native ones. */
    private static int findSectorSize(BlockDevice disk) throws IOException {
        for (int size : new int[] {512, 4096}) {
            if (disk.size() >= 2L * size && hasSignature(disk, size)) {
                return size;
            }
        }
        // Primary gone: look for a backup header in the last sector.
        for (int size : new int[] {512, 4096}) {
            if (disk.size() >= 2L * size && hasSignature(disk, (disk.size() / size - 1) * size)) {
                return size;
            }
        }
        return 512;
    }

    private static boolean hasSignature(BlockDevice disk, long offset) throws IOException {
        ByteBuffer b = PartitionTable.readSector(disk, offset, SIGNATURE.length);
        return b.equals(ByteBuffer.wrap(SIGNATURE));
    }

    private static PartitionTable readAt(BlockDevice disk, int sectorSize, long lba) throws IOException {
        String where = lba == 1 ? "GPT header" : "GPT backup header";
        long base = lba * sectorSize;
        if (lba < 1 || base + sectorSize > disk.size()) {
            throw PartitionTableException.corrupt(where, "LBA", lba, disk.imageOffset(Math.max(0, Math.min(base,
                    disk.size()))), "past the end of the image");
        }
        ByteBuffer h = PartitionTable.readSector(disk, base, sectorSize);
        long signature = h.order(ByteOrder.BIG_ENDIAN).getLong(SIGNATURE_OFFSET);
        h.order(ByteOrder.LITTLE_ENDIAN);
        if (!h.duplicate().limit(8).equals(ByteBuffer.wrap(SIGNATURE))) {
            throw PartitionTableException.corrupt(where, "Signature", signature, disk.imageOffset(base),
                    "not \"EFI PART\"");
        }
        long headerSize = Integer.toUnsignedLong(h.getInt(HEADER_SIZE));
        if (headerSize < MIN_HEADER_SIZE || headerSize > sectorSize) {
            throw PartitionTableException.corrupt(where, "HeaderSize", headerSize,
                    disk.imageOffset(base + HEADER_SIZE), "not between 92 and the sector size " + sectorSize);
        }
        long storedCrc = Integer.toUnsignedLong(h.getInt(HEADER_CRC));
        ByteBuffer copy = ByteBuffer.allocate((int) headerSize).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(h.duplicate().position(0).limit((int) headerSize)).putInt(HEADER_CRC, 0);
        long crc = crc32(copy.array(), 0, (int) headerSize);
        if (crc != storedCrc) {
            throw PartitionTableException.corrupt(where, "HeaderCRC32", storedCrc,
                    disk.imageOffset(base + HEADER_CRC), "computed 0x" + hex(crc));
        }
        long myLba = h.getLong(MY_LBA);
        if (myLba != lba) {
            throw PartitionTableException.corrupt(where, "MyLBA", myLba, disk.imageOffset(base + MY_LBA),
                    "the header is at LBA " + lba);
        }
        long entryLba = h.getLong(ENTRY_LBA);
        long count = Integer.toUnsignedLong(h.getInt(ENTRY_COUNT));
        long entrySize = Integer.toUnsignedLong(h.getInt(ENTRY_SIZE));
        if (entrySize < MIN_ENTRY_SIZE || Long.bitCount(entrySize) != 1) {
            throw PartitionTableException.corrupt(where, "SizeOfPartitionEntry", entrySize,
                    disk.imageOffset(base + ENTRY_SIZE), "not 128 times a power of two");
        }
        if (count * entrySize > MAX_ARRAY_BYTES) {
            throw PartitionTableException.unsupported(where, "NumberOfPartitionEntries", count,
                    disk.imageOffset(base + ENTRY_COUNT), "an entry array of " + count * entrySize
                            + " bytes; at most " + MAX_ARRAY_BYTES);
        }
        long sectors = disk.size() / sectorSize;
        int arrayBytes = (int) (count * entrySize);
        if (entryLba < 1 || entryLba >= sectors || (arrayBytes + sectorSize - 1) / sectorSize > sectors - entryLba) {
            throw PartitionTableException.corrupt(where, "PartitionEntryLBA", entryLba,
                    disk.imageOffset(base + ENTRY_LBA), "the entry array of " + arrayBytes
                            + " bytes does not fit in the image");
        }
        ByteBuffer array = PartitionTable.readSector(disk, entryLba * sectorSize, arrayBytes);
        long storedArrayCrc = Integer.toUnsignedLong(h.getInt(ENTRY_ARRAY_CRC));
        long arrayCrc = crc32(array.array(), 0, arrayBytes);
        if (arrayCrc != storedArrayCrc) {
            throw PartitionTableException.corrupt(where, "PartitionEntryArrayCRC32", storedArrayCrc,
                    disk.imageOffset(base + ENTRY_ARRAY_CRC), "computed 0x" + hex(arrayCrc));
        }
        List<Partition> partitions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int e = (int) (i * entrySize);
            UUID type = Guids.read(array, e + TYPE_GUID);
            if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
                continue;
            }
            long entryOffset = disk.imageOffset(entryLba * sectorSize + e);
            long first = array.getLong(e + STARTING_LBA);
            long last = array.getLong(e + ENDING_LBA);
            if (first < 0 || last < first || last >= sectors) {
                long bad = first < 0 || first >= sectors ? first : last;
                throw PartitionTableException.corrupt("GPT partition " + (i + 1),
                        bad == first ? "StartingLBA" : "EndingLBA", bad,
                        entryOffset + (bad == first ? STARTING_LBA : ENDING_LBA),
                        last < first && first >= 0 && first < sectors ? "before StartingLBA 0x" + hex(first)
                                : "past the end of the image, which has 0x" + hex(sectors) + " sectors");
            }
            String name = name(array, e + NAME);
            partitions.add(new Partition(i + 1, PartitionScheme.GPT, type, Guids.read(array, e + UNIQUE_GUID), -1,
                    name, first * sectorSize, (last - first + 1) * sectorSize, first, type.equals(Guids.ESP)));
            offsets.add(entryOffset);
        }
        PartitionTable.checkLayout(disk, "GPT", partitions, offsets);
        return new PartitionTable(PartitionScheme.GPT, sectorSize, partitions, List.of());
    }

    private static String name(ByteBuffer array, int offset) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < NAME_BYTES; k += 2) {
            char c = array.getChar(offset + k);
            if (c == 0) {
                break;
            }
            b.append(c);
        }
        return b.toString();
    }

    static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static String hex(long value) {
        return Long.toHexString(value).toUpperCase(Locale.ROOT);
    }
}
