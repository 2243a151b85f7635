package jgrub.fat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.fs.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where GRUB's fat.c is more lenient than the FAT specification, jgrub reads what GRUB reads: each case is an image
 * made by mkfs.fat and mtools, then bent the way the case needs, and read by both GRUB's own driver
 * ({@code grub-fstest}) and jgrub, which must list the same names, read the same bytes and refuse the same reads.
 */
class GrubLeniencyTest {

    @TempDir
    Path dir;

    private static final byte[] SMALL = "hello from the first clusters\n".getBytes(StandardCharsets.US_ASCII);

    /** A FAT16 volume of {@code kib} KiB at {@code offsetSectors} of {@code image} (-1: a bare image) with two files. */
    private byte[] populate(Path image, long offsetSectors, long kib, String... mkfsOptions) throws IOException {
        Tools.mkfs(image, offsetSectors, kib, mkfsOptions);
        Path small = dir.resolve("SMALL.TXT");
        Files.write(small, SMALL);
        byte[] big = new byte[3_000_000];
        new Random(14).nextBytes(big);
        Path bigFile = dir.resolve("BIG.BIN");
        Files.write(bigFile, big);
        String target = Tools.mtoolsImage(image, Math.max(0, offsetSectors) * 512);
        Tools.run(null, "mcopy", "-i", target, small.toString(), bigFile.toString(), "::/");
        return big;
    }

    private static Tools.Result grub(Path image, String command, String path) throws IOException {
        return Tools.exec(null, "grub-fstest", image.toString(), command, path);
    }

    /** The names grub-fstest lists, lower-cased (GRUB prints 8.3 names in lower case). */
    private static TreeSet<String> grubNames(Path image, String device) throws IOException {
        Tools.Result ls = grub(image, "ls", device + "/");
        assertEquals(0, ls.code(), ls.err());
        TreeSet<String> names = new TreeSet<>();
        for (String name : new String(ls.out(), StandardCharsets.UTF_8).trim().split("\\s+")) {
            names.add(name.toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static TreeSet<String> names(FileSystem fs) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (FileEntry e : fs.list("/")) {
            names.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static void patch(Path image, long offset, byte... bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    @Test
    void volumeLargerThanTheImage_readsUpToTheEnd_andFailsOnlyTheReadPastIt() throws IOException {
        Path image = dir.resolve("cut.img");
        populate(image, -1, 32 * 1024, "-F", "16", "-s", "4", "-i", "1400CAFE");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(2 << 20);
        }
        // GRUB lists both files, reads the one inside and refuses the one that crosses the end.
        assertEquals(new TreeSet<>(List.of("big.bin", "small.txt")), grubNames(image, "(loop0)"));
        Tools.Result small = grub(image, "cat", "(loop0)/SMALL.TXT");
        assertEquals(0, small.code(), small.err());
        assertArrayEquals(SMALL, small.out());
        Tools.Result big = grub(image, "cat", "(loop0)/BIG.BIN");
        assertNotEquals(0, big.code());
        assertTrue(big.err().contains("outside of disk"), big.err());

        try (Disk disk = Disk.open(image)) {
            FatFileSystem fs = (FatFileSystem) disk.fileSystem(disk.partition(null));
            assertEquals(List.of("(hd0): FAT file system 1400-CAFE: TotalSectors 0x10000 make 0x2000000 bytes, its "
                    + "partition holds 0x200000; what lies past the partition's end cannot be read"), disk.warnings());
            assertEquals(grubNames(image, "(loop0)"), names(fs));
            assertArrayEquals(SMALL, fs.readAllBytes(fs.entry("/SMALL.TXT")));
            BootSector boot = fs.boot();
            long first = fs.entry("/BIG.BIN").firstCluster();
            long missing = 2 + ((2 << 20) - boot.dataOffset()) / boot.clusterSize();
            assertTrue(missing > first, "BIG.BIN must start inside the image");
            assertEquals("file /BIG.BIN: corrupt cluster 0x" + Long.toHexString(missing).toUpperCase() + " at offset 0x"
                    + Long.toHexString(fs.clusterOffset(missing)).toUpperCase() + " (past the end of the partition at "
                    + "0x200000; the file system claims 0x2000000 bytes)",
                    assertThrows(FatFormatException.class, () -> fs.readAllBytes(fs.entry("/BIG.BIN"))).getMessage());
        }
    }

    @Test
    void volumeLargerThanItsGptPartition_warnsWithThePartitionsName() throws IOException {
        Path image = dir.resolve("gpt.img");
        // The file system is made 32 MiB long at sector 2048; the table then gives its partition only 2 MiB.
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(40 << 20);
        }
        Tools.sfdisk(image, "label: gpt\nstart=2048, size=4096, type=U\n");
        byte[] big = populate(image, 2048, 32 * 1024, "-F", "16", "-s", "4", "-i", "1400BEEF");
        Tools.Result small = grub(image, "cat", "(loop0,gpt1)/SMALL.TXT");
        assertEquals(0, small.code(), small.err());
        Tools.Result cut = grub(image, "cat", "(loop0,gpt1)/BIG.BIN");
        assertNotEquals(0, cut.code());
        assertTrue(cut.err().contains("outside of partition"), cut.err());

        try (Disk disk = Disk.open(image)) {
            FileSystem fs = disk.fileSystem(disk.partition(null));
            assertEquals(grubNames(image, "(loop0,gpt1)"), names(fs));
            assertArrayEquals(small.out(), fs.readAllBytes(fs.entry("/SMALL.TXT")));
            assertEquals(List.of("(hd0,gpt1): FAT file system 1400-BEEF: TotalSectors 0x10000 make 0x2000000 bytes, "
                    + "its partition holds 0x200000; what lies past the partition's end cannot be read"),
                    disk.warnings());
            FatFormatException e = assertThrows(FatFormatException.class,
                    () -> fs.readAllBytes(fs.entry("/BIG.BIN")));
            assertTrue(e.getMessage().startsWith("file /BIG.BIN: corrupt cluster 0x"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(past the end of the partition at 0x300000; the file system claims "
                    + "0x2000000 bytes)"), e.getMessage());
            assertEquals(3_000_000, big.length);
        }
    }

    @Test
    void volumeClaimingMoreClustersThanItsFatHolds_readsWhatTheFatCovers() throws IOException {
        Path image = dir.resolve("claims.img");
        populate(image, -1, 32 * 1024, "-F", "16", "-s", "4", "-i", "1400F00D");
        // TotSec32 doubled: twice the clusters, but the FAT keeps its size and the image its length.
        patch(image, 0x20, (byte) 0x00, (byte) 0x00, (byte) 0x02, (byte) 0x00);
        assertEquals(new TreeSet<>(List.of("big.bin", "small.txt")), grubNames(image, "(loop0)"));
        Tools.Result small = grub(image, "cat", "(loop0)/SMALL.TXT");
        assertEquals(0, small.code(), small.err());
        Tools.Result big = grub(image, "cat", "(loop0)/BIG.BIN");
        assertEquals(0, big.code(), big.err());

        try (Disk disk = Disk.open(image)) {
            FatFileSystem fs = (FatFileSystem) disk.fileSystem(disk.partition(null));
            assertEquals(FatType.FAT16, fs.type());
            assertEquals(2, disk.warnings().size(), disk.warnings().toString());
            assertTrue(disk.warnings().get(1).startsWith("(hd0): FAT file system 1400-F00D: its FAT has entries for "
                    + "clusters up to 0x"), disk.warnings().get(1));
            assertArrayEquals(small.out(), fs.readAllBytes(fs.entry("/SMALL.TXT")));
            assertArrayEquals(big.out(), fs.readAllBytes(fs.entry("/BIG.BIN")));
        }
    }

    @Test
    void bootSectorWithoutJump_isReadAsGrubReadsIt_whenTheFatRepeatsTheMediaByte() throws IOException {
        Path image = dir.resolve("nojump.img");
        populate(image, -1, 32 * 1024, "-F", "16", "-s", "4");
        patch(image, 0, (byte) 0, (byte) 0, (byte) 0);
        Tools.Result small = grub(image, "cat", "(loop0)/SMALL.TXT");
        assertEquals(0, small.code(), small.err());
        FatFileSystem fs = FatFileSystem.open(new jgrub.disk.MemoryDevice(Files.readAllBytes(image)));
        assertEquals(grubNames(image, "(loop0)"), names(fs));
        assertArrayEquals(small.out(), fs.readAllBytes(fs.entry("/SMALL.TXT")));
        assertEquals(List.of(), fs.warnings());

        // Both refuse it once the FAT's first entry no longer repeats the media byte 0xF8.
        long fat = 512L * Short.toUnsignedInt(java.nio.ByteBuffer.wrap(Files.readAllBytes(image), 14, 2)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort());
        patch(image, fat, (byte) 0x34, (byte) 0x12);
        Tools.Result refused = grub(image, "cat", "(loop0)/SMALL.TXT");
        assertNotEquals(0, refused.code());
        assertTrue(refused.err().contains("unknown filesystem"), refused.err());
        assertThrows(FatFormatException.class,
                () -> FatFileSystem.open(new jgrub.disk.MemoryDevice(Files.readAllBytes(image))));
    }

    @Test
    void sectorsOf8KiB_areReadAsGrubReadsThem() throws IOException {
        Path image = dir.resolve("8k.img");
        byte[] big = populate(image, -1, 64 * 1024, "-S", "8192");
        Tools.Result grubBig = grub(image, "cat", "(loop0)/BIG.BIN");
        assertEquals(0, grubBig.code(), grubBig.err());
        assertArrayEquals(big, grubBig.out());
        FatFileSystem fs = FatFileSystem.open(new jgrub.disk.MemoryDevice(Files.readAllBytes(image)));
        assertEquals(8192, fs.bytesPerSector());
        assertEquals(grubNames(image, "(loop0)"), names(fs));
        assertArrayEquals(big, fs.readAllBytes(fs.entry("/BIG.BIN")));
        assertArrayEquals(SMALL, fs.readAllBytes(fs.entry("/SMALL.TXT")));
    }
}
