package jgrub.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.fat.FatFileSystem;
import jgrub.fs.Disk;
import jgrub.fs.FileSystem;
import jgrub.fs.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk laid out as the Debian installer lays out a UEFI system: GPT, a FAT ESP and an ext4 root with /boot inside
 * and a {@code vmlinuz} symlink; each partition opens as its own file system, and the ext4 one reads as GRUB reads it
 * ({@code grub-fstest (loop0,gpt2)}) and is named as blkid names it.
 */
class ExtPartitionTest {

    static final long ROOT_START = 18432L * 512;

    @TempDir
    Path dir;

    @Test
    void ext4RootPartition_opensBesideTheEsp() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("boot/grub"));
        String config = "insmod ext2\nset root='hd0,gpt2'\nlinux /boot/vmlinuz root=/dev/vda2\n";
        Files.writeString(root.resolve("boot/grub/grub.cfg"), config);
        Files.writeString(root.resolve("boot/vmlinuz-6.1.0-test"), "kernel bytes\n");
        Files.createSymbolicLink(root.resolve("boot/vmlinuz"), Path.of("vmlinuz-6.1.0-test"));
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(40L << 20);
        }
        Tools.sfdisk(image, "label: gpt\nstart=2048, size=16384, type=U, name=\"ESP\"\n"
                + "start=18432, size=40960, type=L, name=\"root\"\n");
        Tools.run(null, "mkfs.fat", "--offset=2048", image.toString(), "8192");
        ExtImages.mke2fs(image, root, "20M", "-t", "ext4", "-E", "offset=" + ROOT_START);

        try (Disk disk = Disk.open(image)) {
            assertInstanceOf(FatFileSystem.class, disk.fileSystem(disk.partition(null)));
            FileSystem fs = disk.fileSystem(disk.partition("(hd0,gpt2)"));
            assertEquals("ext2", fs.typeName());
            String blkid = Tools.text("blkid", "-p", "-O", Long.toString(ROOT_START), "-o", "export",
                    image.toString());
            assertTrue(blkid.contains("\nUUID=" + fs.uuid() + "\n") && blkid.contains("\nTYPE=ext4\n"), blkid);
            for (String path : new String[] {"/boot/grub/grub.cfg", "/boot/vmlinuz"}) {
                byte[] grub = Tools.run(null, "grub-fstest", image.toString(), "cat", "(loop0,gpt2)" + path);
                assertArrayEquals(grub, ExtMatrixTest.readAll(fs, path), path);
            }
            assertEquals(config, new String(ExtMatrixTest.readAll(fs, "/boot/grub/grub.cfg"), StandardCharsets.UTF_8));
            assertEquals(13, fs.size("/boot/vmlinuz"));
        }
    }
}
