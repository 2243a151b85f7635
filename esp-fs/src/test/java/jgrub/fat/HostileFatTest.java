package jgrub.fat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jgrub.disk.DiskFormatException;
import jgrub.disk.DiskImage;
import jgrub.disk.MemoryDevice;
import jgrub.fs.Lookup;
import jgrub.fs.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One corrupt image per failure the issue lists, each with its exact message. The images start as real mkfs.fat +
 * mtools output and get a few bytes patched; offsets in the messages are computed from the image's own BPB.
 */
class HostileFatTest {

    @TempDir
    static Path dir;

    /** FAT16, 512-byte sectors and clusters: /A.BIN (3 clusters), /B.TXT, /DIR/SUB/C.TXT, /Long File Name.txt. */
    static byte[] fat16;
    /** FAT32 with two FATs and /A.BIN. */
    static byte[] fat32;

    @BeforeAll
    static void build() throws IOException {
        fat16 = image(dir, "fat16.img", 8192, "16");
        fat32 = image(dir, "fat32.img", 34 * 1024, "32");
    }

    static byte[] image(Path dir, String name, int kib, String type) throws IOException {
        Path img = dir.resolve(name);
        Tools.mkfs(img, -1, kib, "-F", type, "-s", "1", "-n", "HOSTILE", "-i", "1234ABCD");
        Path a = dir.resolve("A.BIN");
        byte[] data = new byte[1536];
        Arrays.fill(data, (byte) 'a');
        Files.write(a, data);
        Path b = dir.resolve("B.TXT");
        Files.writeString(b, "bee\n");
        Path c = dir.resolve("C.TXT");
        Files.writeString(c, "sea\n");
        Path longName = dir.resolve("Long File Name.txt");
        Files.writeString(longName, "long\n");
        String i = img.toString();
        Tools.run(null, "mcopy", "-i", i, a.toString(), b.toString(), longName.toString(), "::/");
        Tools.run(null, "mmd", "-i", i, "::/DIR", "::/DIR/SUB");
        Tools.run(null, "mcopy", "-i", i, c.toString(), "::/DIR/SUB/");
        return Files.readAllBytes(img);
    }

    /** The pristine layout, read through the code under test (which the matrix test checks against mtools). */
    static final class Layout {
        final MemoryDevice device;
        final FatFileSystem fs;

        Layout(byte[] image) throws IOException {
            device = new MemoryDevice(image);
            fs = FatFileSystem.open(new MemoryDevice(image));
        }

        long fatEntry(long cluster) {
            return fs.boot().fatOffset() + fs.type().entryOffset(cluster);
        }

        FatEntry entry(String path) throws IOException {
            return fs.entry(path);
        }

        long cluster(String path) throws IOException {
            return entry(path).firstCluster();
        }

        void u16(long offset, int value) {
            device.patch(offset, value);
            device.patch(offset + 1, value >>> 8);
        }

        void u32(long offset, long value) {
            u16(offset, (int) value);
            u16(offset + 2, (int) (value >>> 16));
        }

        /** Sets the FAT entry of {@code cluster} in every FAT. */
        void fat(long cluster, long value) {
            for (int k = 0; k < fs.boot().numFats(); k++) {
                long at = fatEntry(cluster) + k * fs.boot().fatSectors() * 512;
                if (fs.type() == FatType.FAT16) {
                    u16(at, (int) value);
                } else {
                    u32(at, value);
                }
            }
        }

        FatFileSystem reopen() throws IOException {
            return FatFileSystem.open(device);
        }

        String maxCluster() {
            return hex(fs.boot().maxCluster());
        }
    }

    static String hex(long v) {
        return Long.toHexString(v).toUpperCase(Locale.ROOT);
    }

    private static String message(Layout l, String path) {
        return assertThrows(DiskFormatException.class, () -> readAll(l.reopen(), path)).getMessage();
    }

    private static void readAll(FatFileSystem fs, String path) throws IOException {
        FatFile file = fs.open(path);
        file.read(ByteBuffer.allocate((int) file.size()), 0);
    }

    @Test
    void loopInClusterChain_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.fat(a + 1, a);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0x" + hex(a) + " at offset 0x" + hex(l.fatEntry(a + 1))
                + " (cluster 0x" + hex(a + 1) + " points back to cluster 0x" + hex(a) + ": the chain loops)",
                message(l, "/A.BIN"));
    }

    @Test
    void clusterOutOfRange_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.fat(a, 0xFFF0);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0xFFF0 at offset 0x" + hex(l.fatEntry(a)) + " (cluster 0x"
                + hex(a) + " leads out of the data clusters 0x2..0x" + l.maxCluster() + ")", message(l, "/A.BIN"));
    }

    @Test
    void freeClusterInChain_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.fat(a, 0);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0x0 at offset 0x" + hex(l.fatEntry(a)) + " (cluster 0x"
                + hex(a) + " is marked free inside the chain)", message(l, "/A.BIN"));
    }

    @Test
    void badClusterInChain_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.fat(a, 0xFFF7);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0xFFF7 at offset 0x" + hex(l.fatEntry(a)) + " (cluster 0x"
                + hex(a) + " leads to a cluster marked bad)", message(l, "/A.BIN"));
    }

    @Test
    void chainShorterThanFile_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.fat(a + 1, 0xFFFF);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0xFFFF at offset 0x" + hex(l.fatEntry(a + 1))
                + " (the chain ends after 0x2 clusters; the file size 0x600 needs 0x3)", message(l, "/A.BIN"));
    }

    @Test
    void chainLongerThanFile_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long a = l.cluster("/A.BIN");
        l.u32(l.entry("/A.BIN").entryOffset() + 28, 1000);
        assertEquals("FAT chain of /A.BIN: corrupt entry 0x" + hex(a + 2) + " at offset 0x" + hex(l.fatEntry(a + 1))
                + " (the chain goes on past the 0x2 clusters the file size 0x3E8 needs)", message(l, "/A.BIN"));
    }

    @Test
    void firstClusterOutOfRange_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long entry = l.entry("/A.BIN").entryOffset();
        l.u16(entry + 26, 0xFFFE);
        assertEquals("directory entry /A.BIN: corrupt first cluster 0xFFFE at offset 0x" + hex(entry + 26)
                + " (not a data cluster 0x2..0x" + l.maxCluster() + ")", message(l, "/A.BIN"));
    }

    @Test
    void fileSizeBeyondVolume_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long entry = l.entry("/A.BIN").entryOffset();
        l.u32(entry + 28, 0xFFFFFFFFL);
        assertEquals("directory entry /A.BIN: corrupt file size 0xFFFFFFFF at offset 0x" + hex(entry + 28)
                + " (needs 0x800000 clusters; the volume has 0x" + hex(l.fs.clusterCount()) + ")",
                message(l, "/A.BIN"));
    }

    @Test
    void directoryCycle_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long sub = l.entry("/DIR/SUB").entryOffset();
        long dirCluster = l.cluster("/DIR");
        l.u16(sub + 26, (int) dirCluster);
        String expected = "directory entry /DIR/SUB: corrupt first cluster 0x" + hex(dirCluster) + " at offset 0x"
                + hex(sub + 26) + " (a directory cycle: it is the cluster of /DIR)";
        assertEquals(expected, message(l, "/DIR/SUB/C.TXT"));
        FatFileSystem fs = l.reopen();
        assertEquals(expected, assertThrows(FatFormatException.class,
                () -> fs.walk(fs.root(), (e, depth) -> { })).getMessage());
    }

    @Test
    void loopInDirectoryChain_isReported() throws IOException {
        Layout l = new Layout(fat16);
        long d = l.cluster("/DIR");
        long data = l.fs.clusterOffset(d);
        // No end-of-directory mark in the cluster, so the reader must follow the chain, which loops.
        for (int k = 0; k < 512; k += 32) {
            l.device.patch(data + k, 0xE5);
        }
        l.fat(d, d);
        assertEquals("FAT chain of directory /DIR: corrupt entry 0x" + hex(d) + " at offset 0x" + hex(l.fatEntry(d))
                + " (cluster 0x" + hex(d) + " points back to cluster 0x" + hex(d) + ": the chain loops)",
                assertThrows(FatFormatException.class, () -> l.reopen().list("/DIR")).getMessage());
    }

    @Test
    void truncatedImage_opensWithAWarning_andOnlyAReadPastTheEndFails() throws IOException {
        Path cut = dir.resolve("cut.img");
        Files.write(cut, Arrays.copyOf(fat16, fat16.length / 2));
        try (DiskImage image = DiskImage.open(cut)) {
            FatFileSystem fs = FatFileSystem.open(image);
            assertEquals(List.of("FAT file system 1234-ABCD: TotalSectors 0x4000 make 0x800000 bytes, its partition "
                    + "holds 0x400000; what lies past the partition's end cannot be read"), fs.warnings());
            assertEquals(1536, fs.readAllBytes(fs.entry("/A.BIN")).length);
        }
    }

    @Test
    void chainIntoClustersTheFatHasNoEntryFor_failsThatReadOnly() throws IOException {
        Layout l = new Layout(fat16);
        BootSector boot = l.fs.boot();
        long entries = boot.fatSectors() * boot.bytesPerSector() / 2;
        // Four times the sectors (TotSec32, TotSec16 cleared): more clusters than the FAT has entries for.
        l.u16(19, 0);
        l.u32(32, boot.totalSectors() * 4);
        long a = l.cluster("/A.BIN");
        l.fat(a, entries + 5);
        FatFileSystem fs = l.reopen();
        assertEquals(2, fs.warnings().size(), fs.warnings()::toString);
        assertEquals("bee\n", new String(fs.readAllBytes(fs.entry("/B.TXT")), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("FAT: corrupt cluster 0x" + hex(entries + 5) + " at offset 0x" + hex(l.fatEntry(entries + 5))
                + " (its entry lies past the end of the FAT, which has room for clusters up to 0x" + hex(entries - 1)
                + ")", message(l, "/A.BIN"));
    }

    @Test
    void jumpMissing_andFirstFatEntryNotTheMediaByte_isNoFat() throws IOException {
        Layout l = new Layout(fat16);
        l.device.patch(0, 0);
        l.u16(l.fs.boot().fatOffset(), 0x1234);
        assertEquals("FAT boot sector: corrupt jump instruction 0x0 at offset 0x0 (not 0xEB or 0xE9, and the first "
                + "FAT entry does not repeat the media byte: not a FAT boot sector)",
                assertThrows(FatFormatException.class, l::reopen).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "11 | 0 | 2 | FAT boot sector: corrupt BytesPerSector 0x0 at offset 0xB (not a power of two from 512 to 32768)",
        "11 | 1000 | 2 | FAT boot sector: corrupt BytesPerSector 0x3E8 at offset 0xB (not a power of two from 512 to 32768)",
        "13 | 0 | 1 | FAT boot sector: corrupt SectorsPerCluster 0x0 at offset 0xD (not a power of two from 1 to 128)",
        "13 | 3 | 1 | FAT boot sector: corrupt SectorsPerCluster 0x3 at offset 0xD (not a power of two from 1 to 128)",
        "14 | 0 | 2 | FAT boot sector: corrupt ReservedSectorCount 0x0 at offset 0xE (must be at least 1)",
        "16 | 0 | 1 | FAT boot sector: corrupt NumFATs 0x0 at offset 0x10 (must be at least 1)",
        "19 | 0 | 2 | FAT boot sector: corrupt TotalSectors 0x0 at offset 0x20 (zero in both TotSec16 and TotSec32)",
        "22 | 0xFFFF | 2 | FAT boot sector: corrupt FATSize 0xFFFF at offset 0x16 (reserved sectors, FATs and root directory take 0x2001F of 0x4000 sectors: no room for data)",
        "17 | 0 | 2 | FAT boot sector: corrupt RootEntryCount 0x0 at offset 0x11 (0x3F7F clusters make FAT16, whose root directory needs entries)",
    })
    void absurdBootSectorField_isReported(int offset, String value, int width, String expected) throws IOException {
        Layout l = new Layout(fat16);
        int v = Integer.decode(value.strip());
        if (width == 1) {
            l.device.patch(offset, v);
        } else {
            l.u16(offset, v);
        }
        assertEquals(expected, assertThrows(FatFormatException.class, l::reopen).getMessage());
    }

    @Test
    void fat32RootClusterOutOfRange_isReported() throws IOException {
        Layout l = new Layout(fat32);
        l.u32(44, 0);
        assertEquals("FAT boot sector: corrupt RootCluster 0x0 at offset 0x2C (not a data cluster 0x2..0x"
                + l.maxCluster() + ")", assertThrows(FatFormatException.class, l::reopen).getMessage());
    }

    @Test
    void fat32ActiveFatBeyondCount_isReported() throws IOException {
        Layout l = new Layout(fat32);
        l.u16(40, 0x83);
        assertEquals("FAT boot sector: corrupt ExtFlags 0x83 at offset 0x28 (active FAT 3 but only 2 FATs)",
                assertThrows(FatFormatException.class, l::reopen).getMessage());
    }

    @Test
    void fat32WithMirroringOff_readsTheActiveFat() throws IOException {
        Layout l = new Layout(fat32);
        long a = l.cluster("/A.BIN");
        // Break FAT 0 only; with ExtFlags 0x81 (no mirroring, FAT 1 active) the file still reads.
        l.u32(l.fatEntry(a), 0);
        assertThrows(FatFormatException.class, () -> readAll(l.reopen(), "/A.BIN"));
        l.u16(40, 0x81);
        readAll(l.reopen(), "/A.BIN");
    }

    @Test
    void mismatchedLongNameChecksum_fallsBackToShortName() throws IOException {
        Layout l = new Layout(fat16);
        long entry = l.entry("/Long File Name.txt").entryOffset();
        // The long-name entry just before the 8.3 entry carries the checksum at byte 13.
        l.device.patch(entry - 32 + 13, 0x00);
        FatFileSystem fs = l.reopen();
        assertEquals("LONGFI~1.TXT", fs.entry("/longfi~1.txt").name());
        assertEquals(false, fs.exists("/Long File Name.txt"));
    }

    @ParameterizedTest(name = "NTRes 0x{0}")
    @CsvSource({"00, B.TXT", "08, b.TXT", "10, B.txt", "18, b.txt"})
    void lowerCaseFlags_shapeTheShortName(String flags, String expected) throws IOException {
        Layout l = new Layout(fat16);
        l.device.patch(l.entry("/B.TXT").entryOffset() + 12, Integer.parseInt(flags, 16));
        FatFileSystem fs = l.reopen();
        assertEquals(expected, fs.entry("/b.txt").name());
        assertEquals(expected, fs.list("/").stream().filter(e -> e.size() == 4).findFirst().orElseThrow().name());
    }

    @Test
    void leadByte05_standsForE5_andE5IsDeleted() throws IOException {
        Layout l = new Layout(fat16);
        long b = l.entry("/B.TXT").entryOffset();
        l.device.patch(b, 0x05);
        FatFileSystem fs = l.reopen();
        // 0xE5 is 'Õ' in code page 850, which mtools and Linux use for short names.
        assertEquals("Õ.TXT", fs.entry("/Õ.txt").name());
        assertEquals("Õ.TXT", fs.entry("/õ.txt", Lookup.FIRMWARE).name());
        assertEquals(false, fs.exists("/õ.txt"));
        l.device.patch(b, 0xE5);
        assertEquals(false, l.reopen().exists("/B.TXT"));
        assertEquals(false, l.reopen().list("/").stream().anyMatch(e -> e.size() == 4));
    }

    @Test
    void grubLookup_ignoresAliasesAndFoldsOnlyAscii_firmwareLookupTakesBoth() throws IOException {
        FatFileSystem fs = new Layout(fat16).fs;
        assertEquals("Long File Name.txt", fs.entry("/LONG FILE NAME.TXT").name());
        assertEquals(false, fs.exists("/LONGFI~1.TXT"));
        assertEquals("Long File Name.txt", fs.entry("/longfi~1.txt", Lookup.FIRMWARE).name());
        assertEquals(true, FatLookup.equalsFolding("Café", "CAFÉ", 0x100));
        assertEquals(false, FatLookup.equalsFolding("Café", "CAFÉ", 0x80));
        assertEquals(false, FatLookup.equalsFolding("Привет", "ПРИВЕТ", 0x100));
    }

    @Test
    void freeClusters_countsTheFat() throws IOException {
        Layout l = new Layout(fat16);
        // mkfs.fat + mtools: A.BIN 3 clusters, B.TXT, C.TXT, the long-named file and DIR, SUB: 1 each.
        assertEquals(l.fs.clusterCount() - 8, l.fs.freeClusters());
    }

    @Test
    void truncatedFile_afterOpen_isReportedOnRead() throws IOException {
        Path cut = dir.resolve("cut2.img");
        Layout l = new Layout(fat16);
        long end = l.fs.clusterOffset(l.cluster("/A.BIN")) + 100;
        Files.write(cut, Arrays.copyOf(fat16, fat16.length));
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            FatFileSystem fs;
            try (DiskImage image = DiskImage.open(cut)) {
                fs = FatFileSystem.open(image);
                FatFile file = fs.open("/A.BIN");
                f.setLength(end);
                ByteBuffer buffer = ByteBuffer.allocate(1536).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals("disk image: corrupt read offset 0x" + hex(end - 100) + " at offset 0x" + hex(end - 100)
                        + " (truncated: 0x600 bytes needed, the data ends at 0x" + hex(end) + ")",
                        assertThrows(DiskFormatException.class, () -> file.read(buffer, 0)).getMessage());
            }
        }
    }
}
