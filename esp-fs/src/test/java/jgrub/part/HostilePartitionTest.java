package jgrub.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import jgrub.disk.DiskImage;
import jgrub.disk.MemoryDevice;
import jgrub.fs.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile partition tables, each with its exact message or warning. */
class HostilePartitionTest {

    @TempDir
    Path dir;

    /** 8 MiB, GPT by sfdisk with fixed GUIDs so that CRCs (and so messages) are reproducible. */
    private Path gpt() throws IOException {
        Path disk = dir.resolve("gpt.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        Tools.sfdisk(disk, "label: gpt\nlabel-id: 11111111-2222-3333-4444-555555555555\n"
                + "start=2048, size=4096, type=U, uuid=AAAAAAAA-0000-0000-0000-000000000001, name=\"ESP\"\n"
                + "start=6144, size=4096, type=L, uuid=AAAAAAAA-0000-0000-0000-000000000002, name=\"root\"\n");
        return disk;
    }

    private static PartitionTable read(Path disk) throws IOException {
        try (DiskImage image = DiskImage.open(disk)) {
            return PartitionTable.read(image);
        }
    }

    private static String failure(Path disk) {
        return assertThrows(PartitionTableException.class, () -> read(disk)).getMessage();
    }

    private static void poke(Path disk, long offset, byte... bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static void pokeInt(Path disk, long offset, int value) throws IOException {
        poke(disk, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    /** Recomputes the CRC32 of the header at {@code offset} after a field was changed on purpose. */
    private static void fixHeaderCrc(Path disk, long offset) throws IOException {
        pokeInt(disk, offset + 16, 0);
        byte[] header = new byte[92];
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            f.seek(offset);
            f.readFully(header);
        }
        pokeInt(disk, offset + 16, (int) Gpt.crc32(header, 0, 92));
    }

    @Test
    void intactGpt_listsBothPartitionsWithGuidsAndNames() throws IOException {
        PartitionTable table = read(gpt());
        assertEquals(List.of(), table.warnings());
        Partition esp = table.esp().orElseThrow();
        assertEquals("(hd0,gpt1)", esp.grubName());
        assertEquals("AAAAAAAA-0000-0000-0000-000000000001", Guids.toString(esp.uniqueGuid()));
        assertEquals("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", esp.type());
        assertEquals("root", table.select("gpt2").name());
        assertEquals(6144L * 512, table.select("(hd0,gpt2)").start());
        assertEquals(2, table.select("2").number());
    }

    @Test
    void damagedPrimaryHeader_usesBackupWithWarning() throws IOException {
        Path disk = gpt();
        poke(disk, 512 + 40, (byte) 0x99);
        PartitionTable table = read(disk);
        assertEquals(List.of("GPT: GPT header: corrupt HeaderCRC32 0xBEFF2A0C at offset 0x210 (computed 0x8D6B1F97); "
                + "using the backup header at LBA 16383"), table.warnings());
        assertEquals(2, table.partitions().size());
    }

    @Test
    void damagedPrimaryEntryArray_usesBackupWithWarning() throws IOException {
        Path disk = gpt();
        poke(disk, 1024 + 56, (byte) 'X');
        PartitionTable table = read(disk);
        assertEquals(List.of("GPT: GPT header: corrupt PartitionEntryArrayCRC32 0x2A52B3A5 at offset 0x258 "
                + "(computed 0x66AC1C4D); using the backup header at LBA 16383"), table.warnings());
        assertEquals("ESP", table.partitions().get(0).name());
    }

    @Test
    void bothHeadersDamaged_isReported() throws IOException {
        Path disk = gpt();
        poke(disk, 512 + 40, (byte) 0x99);
        poke(disk, (8L << 20) - 512 + 40, (byte) 0x99);
        assertEquals("GPT header: corrupt HeaderCRC32 0xBEFF2A0C at offset 0x210 (computed 0x8D6B1F97)",
                failure(disk));
    }

    @Test
    void absurdEntrySize_isReported() throws IOException {
        Path disk = gpt();
        pokeInt(disk, 512 + 84, 100);
        fixHeaderCrc(disk, 512);
        poke(disk, (8L << 20) - 512, (byte) 'X');
        assertEquals("GPT header: corrupt SizeOfPartitionEntry 0x64 at offset 0x254 (not 128 times a power of two)",
                failure(disk));
    }

    @Test
    void absurdEntryCount_isRefusedBeforeAllocating() throws IOException {
        Path disk = gpt();
        pokeInt(disk, 512 + 80, 0x7FFFFFFF);
        fixHeaderCrc(disk, 512);
        poke(disk, (8L << 20) - 512, (byte) 'X');
        assertEquals("GPT header: unsupported NumberOfPartitionEntries 0x7FFFFFFF at offset 0x250 (an entry array "
                + "of 274877906816 bytes; at most 4194304)", failure(disk));
    }

    @Test
    void partitionPastTheEndOfATruncatedImage_isReported() throws IOException {
        Path disk = gpt();
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(4L << 20);
        }
        assertEquals("GPT partition 2: corrupt EndingLBA 0x27FF at offset 0x4A8 (past the end of the image, which "
                + "has 0x2000 sectors)", failure(disk));
    }

    /** An MBR written byte by byte: entries (type, first LBA, sectors). */
    private Path mbr(long size, int[][] entries) throws IOException {
        Path disk = dir.resolve("mbr.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(size);
        }
        ByteBuffer s = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.length; i++) {
            int e = 0x1BE + 16 * i;
            s.put(e + 4, (byte) entries[i][0]).putInt(e + 8, entries[i][1]).putInt(e + 12, entries[i][2]);
        }
        s.putShort(0x1FE, (short) 0xAA55);
        poke(disk, 0, s.array());
        return disk;
    }

    @Test
    void overlappingPartitions_areReported() throws IOException {
        Path disk = mbr(8L << 20, new int[][] {{0xEF, 2048, 4096}, {0x83, 4096, 2048}});
        assertEquals("MBR partition 2: corrupt start 0x200000 at offset 0x1CE (overlaps partition 1 which ends at "
                + "0x300000)", failure(disk));
    }

    @Test
    void mbrPartitionPastTheEnd_isReported() throws IOException {
        Path disk = mbr(8L << 20, new int[][] {{0xEF, 2048, 1 << 20}});
        assertEquals("MBR partition 1: corrupt end 0x20100000 at offset 0x1BE (past the end of the image at "
                + "0x800000)", failure(disk));
    }

    @Test
    void loopInExtendedChain_isReported() throws IOException {
        Path disk = mbr(8L << 20, new int[][] {{0xEF, 2048, 2048}, {0x05, 4096, 8192}});
        ByteBuffer ebr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        ebr.put(0x1BE + 4, (byte) 0x83).putInt(0x1BE + 8, 2048).putInt(0x1BE + 12, 1024);
        ebr.put(0x1CE + 4, (byte) 0x05).putInt(0x1CE + 8, 0).putInt(0x1CE + 12, 2048);
        ebr.putShort(0x1FE, (short) 0xAA55);
        poke(disk, 4096L * 512, ebr.array());
        assertEquals("MBR extended boot record: corrupt next EBR 0x1000 at offset 0x200000 (chain loops back to an "
                + "earlier EBR)", failure(disk));
    }

    @Test
    void logicalPartitions_areNumberedFromFive() throws IOException {
        Path disk = mbr(8L << 20, new int[][] {{0x83, 2048, 2048}, {0x05, 4096, 8192}});
        ByteBuffer ebr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        ebr.put(0x1BE + 4, (byte) 0xEF).putInt(0x1BE + 8, 2048).putInt(0x1BE + 12, 1024);
        ebr.putShort(0x1FE, (short) 0xAA55);
        poke(disk, 4096L * 512, ebr.array());
        PartitionTable table = read(disk);
        assertEquals("(hd0,msdos5)", table.esp().orElseThrow().grubName());
        assertEquals(6144L * 512, table.select("(hd0,msdos5)").start());
    }

    @Test
    void neitherTableNorFileSystem_isReported() throws IOException {
        Path disk = dir.resolve("zero.img");
        Files.write(disk, new byte[4096]);
        assertEquals("MBR: corrupt signature 0x0 at offset 0x1FE (not 0xAA55: neither a partition table nor a FAT "
                + "or ext file system)", failure(disk));
    }

    @Test
    void seededMutationsOfTables_raiseOnlyPartitionTableExceptions() throws IOException {
        byte[] gpt = Files.readAllBytes(gpt());
        // MBR sector, primary header, first entries, backup header.
        long[][] regions = {{0x1BE, 66}, {512, 92}, {1024, 256}, {gpt.length - 512, 92}};
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            MemoryDevice device = new MemoryDevice(gpt);
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                long[] r = regions[random.nextInt(regions.length)];
                device.patch(r[0] + random.nextInt((int) r[1]), random.nextInt(256));
            }
            try {
                PartitionTable table = PartitionTable.read(device);
                table.esp();
                for (Partition p : table.partitions()) {
                    table.select(p.grubName());
                    device.slice(p.start(), p.size());
                }
            } catch (jgrub.disk.DiskFormatException expected) {
                // refused cleanly
            } catch (RuntimeException unexpected) {
                throw new AssertionError("iteration " + i, unexpected);
            }
        }
    }

    @Test
    void tinyImage_isReported() throws IOException {
        Path disk = dir.resolve("tiny.img");
        Files.write(disk, new byte[100]);
        assertEquals("disk image: corrupt size 0x64 at offset 0x0 (smaller than one 512-byte sector)", failure(disk));
    }
}
