package jgrub.fat.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import jgrub.fs.Disk;
import jgrub.fs.Tools;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFileSystem;
import jgrub.fat.FatFormatException;
import jgrub.fat.FatType;
import jgrub.part.PartitionScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Round trip: images built by EspBuilder pass fsck.fat -n, read back identically with mtype and with GRUB's fat. */
class EspBuilderTest {

    @TempDir
    Path dir;

    /** Host files under dir/src; returns ESP path to contents. */
    private Map<String, byte[]> hostTree(int bigSize) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(bigSize);
        files.put("/EFI/BOOT/BOOTX64.EFI", bytes(random, bigSize));
        files.put("/EFI/BOOT/grub.cfg", "set timeout=0\n".getBytes(StandardCharsets.UTF_8));
        files.put("/README.TXT", "plain 8.3\n".getBytes(StandardCharsets.UTF_8));
        files.put("/empty", new byte[0]);
        files.put("/Long Name One.txt", bytes(random, 10));
        files.put("/Long Name Two.txt", bytes(random, 20));
        files.put("/LONGNA~1.TXT", bytes(random, 30));
        files.put("/" + "N".repeat(251) + ".bin", bytes(random, 700));
        files.put("/intl/café naïve.txt", bytes(random, 40));
        files.put("/intl/Привет мир.txt", bytes(random, 50));
        files.put("/intl/日本語のファイル名.txt", bytes(random, 60));
        StringBuilder deep = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            deep.append("/level ").append(i);
        }
        files.put(deep + "/leaf.txt", bytes(random, 5));
        for (int i = 0; i < 300; i++) {
            files.put(String.format(Locale.ROOT, "/many/entry %03d.txt", i), bytes(random, i % 7));
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path host = dir.resolve("src" + f.getKey());
            Files.createDirectories(host.getParent());
            Files.write(host, f.getValue());
        }
        return files;
    }

    @ParameterizedTest(name = "--fat {0} --size {1} table={2}")
    @CsvSource({
        "'', 64, true, FAT16",
        "12, 8, false, FAT12",
        "16, 40, true, FAT16",
        "32, 40, true, FAT32",
        "'', 600, false, FAT32",
    })
    void builtImage_passesFsckAndReadsBackWithMtoolsAndGrub(String fat, int mib, boolean table, FatType expected)
            throws IOException {
        Map<String, byte[]> files = hostTree(mib > 8 ? 3_000_000 : 1_000_000);
        Path out = dir.resolve("esp.img");
        EspBuilder builder = new EspBuilder((long) mib << 20).label("Test Esp").serial(0x1234ABCDL)
                .partitionTable(table).add(dir.resolve("src"), "/");
        if (!fat.isEmpty()) {
            builder.fatType(FatType.valueOf("FAT" + fat));
        }
        builder.write(out, false);

        long offset;
        try (Disk image = Disk.open(out)) {
            assertEquals(table ? PartitionScheme.GPT : PartitionScheme.NONE, image.table().scheme());
            offset = image.partition(null).start();
            FatFileSystem fs = (FatFileSystem) image.fileSystem(image.partition(null));
            assertEquals(expected, fs.type());
            assertEquals("TEST ESP", fs.label().orElseThrow());
            assertEquals("1234-ABCD", fs.uuid());
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                assertArrayEquals(f.getValue(), fs.newInputStream(f.getKey()).readAllBytes(), f.getKey());
            }
            assertEquals("LONGNA~2.TXT", fs.entry("/Long Name One.txt").shortName());
            assertEquals("GRUB.CFG", fs.entry("/EFI/BOOT/grub.cfg").shortName());
            assertTrue(fs.list("/many").stream().map(FatEntry::shortName).distinct().count() == 300);
        }

        Path partition = table ? extract(out, offset) : out;
        Tools.text("fsck.fat", "-n", partition.toString());
        String img = Tools.mtoolsImage(out, offset);
        TreeSet<String> expectedPaths = new TreeSet<>();
        int index = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            // Every file outside /many, and every 25th in it: mdir below checks all names, mtype is a process each.
            if (!f.getKey().startsWith("/many/") || index++ % 25 == 0) {
                assertArrayEquals(f.getValue(), Tools.run(null, "mtype", "-i", img, "::" + f.getKey()), f.getKey());
            }
            expectedPaths.add(f.getKey());
            for (Path p = Path.of(f.getKey()).getParent(); p.getParent() != null; p = p.getParent()) {
                expectedPaths.add(p + "/");
            }
        }
        TreeSet<String> listed = new TreeSet<>();
        for (String line : Tools.text("mdir", "-/", "-b", "-i", img, "::/").split("\n")) {
            if (!line.isBlank()) {
                listed.add(line.substring(2));
            }
        }
        assertEquals(expectedPaths, listed);

        // GRUB's own fat module (grub-fstest) finds and compares the files, case-insensitively.
        String device = table ? "(loop0,gpt1)" : "(loop0)";
        for (String path : new String[] {"/EFI/BOOT/BOOTX64.EFI", "/efi/boot/GRUB.CFG", "/intl/Привет мир.txt"}) {
            Path host = dir.resolve("src" + files.keySet().stream().filter(k -> k.equalsIgnoreCase(path))
                    .findFirst().orElseThrow());
            Tools.run(null, "grub-fstest", out.toString(), "cmp", device + path, host.toString());
        }
        String ls = Tools.text("grub-fstest", out.toString(), "--", "ls", "-l", device);
        assertTrue(ls.contains("Label `TEST ESP'") && ls.contains("UUID 1234-ABCD"), ls);
    }

    private Path extract(Path image, long offset) throws IOException {
        Path partition = dir.resolve("partition.img");
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(partition, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long length = in.size() - offset - 33 * 512;
            long done = 0;
            while (done < length) {
                done += in.transferTo(offset + done, length - done, out);
            }
        }
        return partition;
    }

    @Test
    void existingOutput_isKeptUnlessForced() throws IOException {
        Path out = dir.resolve("esp.img");
        Files.writeString(out, "precious");
        EspBuilder builder = new EspBuilder(8L << 20);
        assertThrows(FileAlreadyExistsException.class, () -> builder.write(out, false));
        assertEquals("precious", Files.readString(out));
        builder.write(out, true);
        assertEquals(8L << 20, Files.size(out));
    }

    @Test
    void fat32OnASmallImage_isRefused() {
        assertEquals("mkesp: FAT32 on 7323136 bytes: needs between 65525 and 268435445 clusters (at least 33 MiB); "
                + "pick another --size or --fat", assertThrows(FatFormatException.class,
                        () -> new EspBuilder(8L << 20).fatType(FatType.FAT32).write(dir.resolve("x.img"), false))
                .getMessage());
    }

    @Test
    void filesLargerThanTheImage_areRefused() throws IOException {
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[3 << 20]);
        assertEquals("mkesp: the files need 6144 clusters of 512 bytes; the FAT12 file system of 2097152 bytes has "
                + "4039 (use a larger --size)", assertThrows(FatFormatException.class,
                        () -> new EspBuilder(2L << 20).partitionTable(false).add(big, "/").write(dir.resolve("x.img"),
                                false)).getMessage());
    }

    @Test
    void invalidName_isRefused() {
        assertEquals("mkesp: name 'a:b': character U+003A is not allowed in FAT names", assertThrows(
                FatFormatException.class, () -> new EspBuilder(8L << 20).add(dir, "/a:b")).getMessage());
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
