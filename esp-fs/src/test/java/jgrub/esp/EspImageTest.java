package jgrub.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFile;
import jgrub.fat.FatFileSystem;
import jgrub.fat.FatType;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;
import jgrub.part.PartitionTableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EspImageTest {

    @TempDir
    Path dir;

    /** GPT disk: partition 1 the ESP (FAT16 from mkfs.fat), partition 2 Linux; files added with mtools. */
    private Path gptDisk(byte[] payload) throws IOException {
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Tools.sfdisk(disk, "label: gpt\nsize=32M, type=U, name=\"EFI system\"\ntype=L\n");
        Tools.mkfs(disk, 2048, 32768, "-F", "16", "-n", "MYLABEL", "-i", "1234ABCD");
        String img = Tools.mtoolsImage(disk, 2048 * 512);
        Tools.run(null, "mmd", "-i", img, "::/EFI", "::/EFI/BOOT");
        Path host = dir.resolve("payload.bin");
        Files.write(host, payload);
        Tools.run(null, "mcopy", "-i", img, host.toString(), "::/EFI/BOOT/Some-Long-Name.bin");
        return disk;
    }

    @Test
    void gptDisk_findsEspAndReadsFiles() throws IOException {
        byte[] payload = new byte[100_000];
        new Random(1).nextBytes(payload);
        Path disk = gptDisk(payload);
        try (EspImage image = EspImage.open(disk)) {
            List<Partition> parts = image.table().partitions();
            assertEquals(PartitionScheme.GPT, image.table().scheme());
            assertEquals(2, parts.size());
            assertEquals("EFI system", parts.get(0).name());
            assertEquals(1L << 20, parts.get(0).start());
            assertEquals(32L << 20, parts.get(0).size());
            assertEquals("(hd0,gpt1)", image.partition(null).grubName());
            assertEquals(2, image.partition("(hd0,gpt2)").number());

            FatFileSystem fs = image.fileSystem(null);
            assertEquals(FatType.FAT16, fs.type());
            assertEquals("1234-ABCD", fs.uuid());
            assertEquals("MYLABEL", fs.label().orElseThrow());
            assertTrue(fs.isDirectory("/efi/BOOT"));
            assertTrue(fs.exists("\\EFI\\boot\\SOME-LONG-NAME.BIN"));
            assertFalse(fs.exists("/EFI/BOOT/missing"));
            assertEquals(100_000, fs.size("efi//boot/./../boot/some-long-name.bin"));
            try (InputStream in = fs.newInputStream("/EFI/BOOT/Some-Long-Name.bin")) {
                assertArrayEquals(payload, in.readAllBytes());
            }
            FatFile file = fs.open("/EFI/BOOT/Some-Long-Name.bin");
            ByteBuffer middle = ByteBuffer.allocate(5000);
            assertEquals(5000, file.read(middle, 40_000));
            assertArrayEquals(java.util.Arrays.copyOfRange(payload, 40_000, 45_000), middle.array());
            FatEntry entry = fs.list("/EFI/BOOT").get(0);
            assertEquals("Some-Long-Name.bin", entry.name());
            assertEquals("SOME-L~1.BIN", entry.shortName());
            assertThrows(NoSuchFileException.class, () -> fs.open("/EFI/none"));
        }
    }

    @Test
    void espBeyondFourGibInASparseImage_isRead() throws IOException {
        Path disk = dir.resolve("big.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(6L << 30);
        }
        long start = (9L << 30) / 2 / 512;
        Tools.sfdisk(disk, "label: gpt\nstart=2048, size=8192, type=L\nstart=" + start + ", size=65536, type=U\n");
        Tools.mkfs(disk, start, 32768, "-F", "16", "-i", "0BADCAFE");
        Path host = dir.resolve("far.txt");
        Files.writeString(host, "beyond 4 GiB\n");
        Tools.run(null, "mcopy", "-i", Tools.mtoolsImage(disk, start * 512), host.toString(), "::/far.txt");
        try (EspImage image = EspImage.open(disk)) {
            assertEquals(6L << 30, image.image().size());
            Partition esp = image.partition(null);
            assertEquals("(hd0,gpt2)", esp.grubName());
            assertEquals(start * 512, esp.start());
            FatFileSystem fs = image.fileSystem(null);
            assertEquals("0BAD-CAFE", fs.uuid());
            assertArrayEquals(Files.readAllBytes(host), fs.newInputStream("/FAR.TXT").readAllBytes());
        }
    }

    @Test
    void superfloppyWithMkfsFakeMbr_isReadAsWholeDisk() throws IOException {
        Path disk = dir.resolve("floppy.img");
        Tools.mkfs(disk, -1, 4096, "--mbr=y", "-F", "12", "-n", "FLOPPY");
        try (EspImage image = EspImage.open(disk)) {
            assertEquals(PartitionScheme.NONE, image.table().scheme());
            assertEquals("(hd0)", image.partition(null).grubName());
            assertEquals("(hd0)", image.partition("(hd0)").grubName());
            assertEquals(FatType.FAT12, image.fileSystem(null).type());
        }
    }

    @Test
    void unknownPartitionName_isRefused() throws IOException {
        Path disk = gptDisk(new byte[1]);
        try (EspImage image = EspImage.open(disk)) {
            PartitionTableException e = assertThrows(PartitionTableException.class,
                    () -> image.partition("(hd0,msdos1)"));
            assertEquals("partition '(hd0,msdos1)': no such partition; the disk's partitions are (hd0,gpt1), "
                    + "(hd0,gpt2)", e.getMessage());
        }
    }
}
