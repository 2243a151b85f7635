package jgrub.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jgrub.disk.BlockDevice;
import jgrub.disk.DiskFormatException;
import jgrub.disk.DiskImage;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFile;
import jgrub.fat.FatFileSystem;
import jgrub.fat.FatType;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;
import jgrub.part.PartitionTableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskTest {

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
        try (Disk image = Disk.open(disk)) {
            List<Partition> parts = image.table().partitions();
            assertEquals(PartitionScheme.GPT, image.table().scheme());
            assertEquals(2, parts.size());
            assertEquals("EFI system", parts.get(0).name());
            assertEquals(1L << 20, parts.get(0).start());
            assertEquals(32L << 20, parts.get(0).size());
            assertEquals("(hd0,gpt1)", image.partition(null).grubName());
            assertEquals(2, image.partition("(hd0,gpt2)").number());
            assertEquals("hd0,gpt2", image.partition("(hd0,gpt2)").device());
            assertEquals(2, image.partition("hd0,gpt2").number(), "GRUB's device name as $root holds it");

            FatFileSystem fs = (FatFileSystem) image.fileSystem(image.partition(null));
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
    void readAllBytes_ofAFileOfManyClusters_isTheWholeFile() throws IOException {
        // 300,000 bytes: many 2 KiB clusters, and more than one read of OpenFile's or an InputStream's buffer.
        byte[] payload = new byte[300_000];
        new Random(2).nextBytes(payload);
        try (Disk image = Disk.open(gptDisk(payload))) {
            FileSystem fs = image.fileSystem(image.partition(null));
            assertArrayEquals(payload, fs.readAllBytes(fs.entry("/EFI/BOOT/Some-Long-Name.bin")));
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
        try (Disk image = Disk.open(disk)) {
            assertEquals(6L << 30, image.device().size());
            Partition esp = image.partition(null);
            assertEquals("(hd0,gpt2)", esp.grubName());
            assertEquals(start * 512, esp.start());
            FatFileSystem fs = (FatFileSystem) image.fileSystem(image.partition(null));
            assertEquals("0BAD-CAFE", fs.uuid());
            assertArrayEquals(Files.readAllBytes(host), fs.newInputStream("/FAR.TXT").readAllBytes());
        }
    }

    @Test
    void superfloppyWithMkfsFakeMbr_isReadAsWholeDisk() throws IOException {
        Path disk = dir.resolve("floppy.img");
        Tools.mkfs(disk, -1, 4096, "--mbr=y", "-F", "12", "-n", "FLOPPY");
        try (Disk image = Disk.open(disk)) {
            assertEquals(PartitionScheme.NONE, image.table().scheme());
            assertEquals("(hd0)", image.partition(null).grubName());
            assertEquals("(hd0)", image.partition("(hd0)").grubName());
            assertEquals("hd0", image.partition("hd0").device());
            assertEquals(FatType.FAT12, ((FatFileSystem) image.fileSystem(image.partition(null))).type());
        }
    }

    @Test
    void unknownPartitionName_isRefused() throws IOException {
        Path disk = gptDisk(new byte[1]);
        try (Disk image = Disk.open(disk)) {
            PartitionTableException e = assertThrows(PartitionTableException.class,
                    () -> image.partition("(hd0,msdos1)"));
            assertEquals("partition '(hd0,msdos1)': no such partition; the disk's partitions are (hd0,gpt1), "
                    + "(hd0,gpt2)", e.getMessage());
        }
    }

    /** Counts the reads that start at each offset of a device: a file system is opened by reading its first sector. */
    static final class CountingDevice implements BlockDevice {
        final DiskImage image;
        final Map<Long, Integer> readsAt = new HashMap<>();

        CountingDevice(DiskImage image) {
            this.image = image;
        }

        int readsAt(long offset) {
            return readsAt.getOrDefault(offset, 0);
        }

        @Override
        public long size() {
            return image.size();
        }

        @Override
        public synchronized void read(long offset, ByteBuffer dst) throws IOException {
            readsAt.merge(offset, 1, Integer::sum);
            image.read(offset, dst);
        }

        @Override
        public long imageOffset(long offset) {
            return offset;
        }
    }

    @Test
    void eachPartitionsFileSystem_isOpenedOnce_andAFailureIsReportedAlikeEveryTime() throws IOException {
        Path disk = dir.resolve("three.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        // Linux (no file system), Microsoft basic data with FAT, then the ESP.
        Tools.sfdisk(disk, "label: gpt\nsize=16M, type=L\nsize=16M, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n"
                + "size=16M, type=U\n");
        Tools.mkfs(disk, 2048 + 32768, 16384, "-F", "16");
        Tools.mkfs(disk, 2048 + 2 * 32768, 16384, "-F", "16", "-i", "0000E5E5");
        CountingDevice counting = new CountingDevice(DiskImage.open(disk));
        try (Disk image = Disk.of(counting, disk.toString())) {
            List<Partition> parts = image.table().partitions();
            Partition esp = image.partition(null);
            assertEquals(parts.get(2), esp);
            for (int round = 0; round < 3; round++) {
                for (Partition p : parts) {
                    assertEquals(p != parts.get(0), image.findFileSystem(p).isPresent(), p.grubName());
                }
            }
            FileSystem fs = image.fileSystem(esp);
            assertSame(fs, image.fileSystem(image.partition("(hd0,gpt3)")));
            assertEquals("fat", fs.typeName());
            assertEquals("0000-E5E5", fs.uuid());
            DiskFormatException first = assertThrows(DiskFormatException.class, () -> image.fileSystem(parts.get(0)));
            DiskFormatException again = assertThrows(DiskFormatException.class, () -> image.fileSystem(parts.get(0)));
            assertEquals("FAT boot sector: corrupt jump instruction 0x0 at offset 0x100000 (not 0xEB or 0xE9: not a FAT "
                    + "boot sector)", again.getMessage());
            assertEquals(first.getMessage(), again.getMessage());
            for (Partition p : parts) {
                assertEquals(1, counting.readsAt(p.start()), "reads of the first sector of " + p.grubName());
            }
        }
    }
}
