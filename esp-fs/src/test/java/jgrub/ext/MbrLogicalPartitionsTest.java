package jgrub.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.fs.Tools;
import jgrub.part.Partition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An MBR disk with primaries and a chain of logical partitions holding FAT and ext file systems, built by sfdisk,
 * mkfs.fat and mke2fs: the partitions are numbered as GRUB numbers them ({@code msdos1}, {@code msdos5}, ...), and
 * each one's root directory and file read as GRUB's own drivers read them ({@code grub-fstest IMG ls/cat
 * '(loop0,msdosN)/...'}); the same through a qcow2 copy made by {@code qemu-img convert -c}.
 */
class MbrLogicalPartitionsTest {

    @TempDir
    static Path dir;
    static Path raw;
    static Path qcow2;

    /** 1 FAT16 (8 MiB), 2 extended, 5 ext4 (12 MiB), 6 FAT16 (8 MiB), 7 ext2 (8 MiB), each with /who.txt. */
    @BeforeAll
    static void disk() throws IOException {
        raw = dir.resolve("msdos.img");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        Tools.sfdisk(raw, "label: dos\nstart=2048, size=16384, type=6\nstart=18432, type=5\n"
                + "start=20480, size=24576, type=83\nstart=47104, size=16384, type=e\n"
                + "start=65536, size=16384, type=83\n");
        fat(2048, "ONE");
        ext(20480, "12M", "five", "ext4");
        fat(47104, "SIX");
        ext(65536, "8M", "seven", "ext2");
        qcow2 = dir.resolve("msdos.qcow2");
        Tools.run(null, "qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
    }

    private static void fat(long sector, String label) throws IOException {
        Tools.run(null, "mkfs.fat", "-n", label, "--offset=" + sector, raw.toString(), "8192");
        Path who = Files.writeString(dir.resolve("who-" + label), "FAT partition " + label + " at " + sector + "\n");
        Tools.run(null, "mcopy", "-i", Tools.mtoolsImage(raw, sector * 512), who.toString(), "::/who.txt");
    }

    private static void ext(long sector, String size, String label, String type) throws IOException {
        Path root = dir.resolve("tree-" + label);
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("who.txt"), type + " partition " + label + " at " + sector + "\n");
        ExtImages.mke2fs(raw, root, size, "-t", type, "-L", label, "-E", "offset=" + sector * 512);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "qcow2"})
    void everyPartition_readsAsGrubReadsIt(String format) throws IOException {
        try (Disk disk = Disk.open(format.equals("raw") ? raw : qcow2)) {
            List<String> names = new ArrayList<>();
            for (Partition p : disk.table().partitions()) {
                names.add(p.grubName());
            }
            assertEquals(List.of("(hd0,msdos1)", "(hd0,msdos5)", "(hd0,msdos6)", "(hd0,msdos7)"), names);
            for (Partition p : disk.table().partitions()) {
                String grubDevice = "(loop0," + p.device().substring("hd0,".length()) + ")";
                FileSystem fs = disk.fileSystem(p);
                String listing = Tools.text("grub-fstest", raw.toString(), "ls", grubDevice + "/");
                TreeSet<String> grub = new TreeSet<>(Arrays.asList(listing.strip().split(" ")));
                TreeSet<String> jgrub = new TreeSet<>();
                for (FileEntry e : fs.list("/")) {
                    jgrub.add(e.name() + (e.isDirectory() ? "/" : ""));
                }
                assertEquals(grub, jgrub, grubDevice);
                byte[] who = Tools.run(null, "grub-fstest", raw.toString(), "cat", grubDevice + "/who.txt");
                assertArrayEquals(who, fs.readAllBytes(fs.entry("/who.txt")), grubDevice);
            }
        }
    }
}
