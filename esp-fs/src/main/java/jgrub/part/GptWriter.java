package jgrub.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a protective MBR and primary and backup GPT headers and entry arrays (UEFI 2.10, sections 5.2.3 and 5.3)
 * for a disk of 512-byte sectors with one partition. Used to build test ESPs.
 */
public final class GptWriter {

    public static final int SECTOR = 512;
    private static final int ENTRIES = 128;
    private static final int ENTRY_SIZE = 128;
    /** Sectors of the entry array: 128 entries of 128 bytes. */
    private static final int ARRAY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;
    /** The first partition starts at 1 MiB, as sfdisk and every partitioning tool since 2008 place it. */
    public static final long FIRST_LBA = 2048;

    private GptWriter() {
    }

    /** The last LBA a partition may use on a disk of {@code diskSectors} sectors. */
    public static long lastUsableLba(long diskSectors) {
        return diskSectors - 2 - ARRAY_SECTORS;
    }

    /** A sector's bytes at an LBA. */
    public record Sector(long lba, ByteBuffer data) {
    }

    /**
     * The sectors to write: protective MBR, primary header and array, backup array and header, with one partition
     * from {@code first} to {@code last} (inclusive) of type {@code type} named {@code name}.
     */
    public static Sector[] sectors(long diskSectors, long first, long last, UUID type, UUID unique, UUID disk,
            String name) {
        ByteBuffer array = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Guids.write(array, Gpt.TYPE_GUID, type);
        Guids.write(array, Gpt.UNIQUE_GUID, unique);
        array.putLong(Gpt.STARTING_LBA, first).putLong(Gpt.ENDING_LBA, last);
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        array.put(Gpt.NAME, utf16, 0, Math.min(utf16.length, Gpt.NAME_BYTES - 2));
        long arrayCrc = Gpt.crc32(array.array(), 0, array.capacity());
        long lastLba = diskSectors - 1;
        ByteBuffer primary = header(1, lastLba, 2, diskSectors, disk, arrayCrc);
        ByteBuffer backup = header(lastLba, 1, lastLba - ARRAY_SECTORS, diskSectors, disk, arrayCrc);
        return new Sector[] {
            new Sector(0, protectiveMbr(diskSectors)),
            new Sector(1, primary),
            new Sector(2, array.duplicate()),
            new Sector(lastLba - ARRAY_SECTORS, array.duplicate()),
            new Sector(lastLba, backup),
        };
    }

    private static ByteBuffer protectiveMbr(long diskSectors) {
        ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int e = PartitionTable.MBR_TABLE_OFFSET;
        // CHS start 0/0/2, type 0xEE, CHS end as large as it goes, LBA 1 to the end of the disk (UEFI 5.2.3).
        mbr.put(e + 1, (byte) 0x00).put(e + 2, (byte) 0x02).put(e + 3, (byte) 0x00);
        mbr.put(e + 4, (byte) PartitionTable.TYPE_GPT_PROTECTIVE);
        mbr.put(e + 5, (byte) 0xFF).put(e + 6, (byte) 0xFF).put(e + 7, (byte) 0xFF);
        mbr.putInt(e + 8, 1).putInt(e + 12, (int) Math.min(diskSectors - 1, 0xFFFFFFFFL));
        mbr.putShort(PartitionTable.MBR_SIGNATURE_OFFSET, (short) 0xAA55);
        return mbr;
    }

    private static ByteBuffer header(long my, long alternate, long entryLba, long diskSectors, UUID disk,
            long arrayCrc) {
        ByteBuffer h = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, Gpt.SIGNATURE).putInt(Gpt.REVISION, 0x00010000).putInt(Gpt.HEADER_SIZE, Gpt.MIN_HEADER_SIZE);
        h.putLong(Gpt.MY_LBA, my).putLong(Gpt.ALTERNATE_LBA, alternate);
        h.putLong(Gpt.FIRST_USABLE, 2 + ARRAY_SECTORS).putLong(Gpt.LAST_USABLE, lastUsableLba(diskSectors));
        Guids.write(h, Gpt.DISK_GUID, disk);
        h.putLong(Gpt.ENTRY_LBA, entryLba).putInt(Gpt.ENTRY_COUNT, ENTRIES).putInt(Gpt.ENTRY_SIZE, ENTRY_SIZE);
        h.putInt(Gpt.ENTRY_ARRAY_CRC, (int) arrayCrc);
        h.putInt(Gpt.HEADER_CRC, (int) Gpt.crc32(h.array(), 0, Gpt.MIN_HEADER_SIZE));
        return h;
    }
}
