package jgrub.fs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.util.List;
import jgrub.disk.DiskFormatException;
import jgrub.disk.MemoryDevice;
import jgrub.part.Partition;
import jgrub.testing.FuzzProperty;

/**
 * Disk images as jgrub meets them: the partition table (GPT, MBR or none), then each partition's file system (FAT or
 * ext2/3/4) through the {@link Disk} model, every directory listed and every file read. Only the module's
 * {@link DiskFormatException}s and java.nio.file's path exceptions may come out, each one line, and quickly.
 *
 * <p>The seeds in {@code src/test/resources/jgrub/fs/DiskFuzzTestInputs/disk/} were made with the real tools:
 * {@code fat12.img} ({@code mkfs.fat -C -F 12 -s 1 -i 12345678 fat12.img 64}, then {@code mmd ::/DIR ::/EFI ::/EFI/BOOT}, {@code mcopy} of a
 * 600-byte {@code A.BIN}, a 5-byte {@code DIR/Long File Name.txt}, a {@code EFI/BOOT/grub.cfg}), {@code fat32-tiny.img} ({@code A.BIN} and {@code DIR/Long File Name.txt} with
 * {@code -F 32} on 34 MiB, cut after its last used sector, which jgrub reads as GRUB does),
 * {@code gpt-fat.img} ({@code sfdisk} GPT, 195 sectors, one ESP at sector 34 holding {@code fat12.img}), {@code mbr-fat.img}
 * (the same under an MBR at sector 1, type 0xEF), {@code ext2.img} ({@code mke2fs -t ext2 -b 1024 -N 16 ext2.img 64}, extended to 64 KiB, and
 * {@code debugfs -w -R "write ..."} of the same files); anything else in the folder is an input that once failed.
 */
class DiskFuzzTest {

    private static final List<Class<? extends Exception>> ALLOWED =
            List.of(DiskFormatException.class, FileSystemException.class);
    /** Deeper directories are not walked: the harness bounds its own work, the reader bounds each call. */
    private static final int MAX_DEPTH = 8;
    private static final int MAX_ENTRIES = 2000;

    @FuzzTest(maxDuration = "5m")
    void disk(byte[] image) {
        FuzzProperty.check(ALLOWED, () -> {
            Disk disk = Disk.of(new MemoryDevice(image), "fuzz.img");
            disk.warnings();
            for (Partition p : disk.table().partitions()) {
                try {
                    FileSystem fs = disk.fileSystem(p);
                    exercise(fs);
                } catch (DiskFormatException | FileSystemException refused) {
                    // One partition refused does not stop the others being read.
                    FuzzProperty.requireOneLine(refused);
                }
            }
            disk.warnings();
            disk.partition(null);
        });
    }

    private static void exercise(FileSystem fs) throws IOException {
        fs.uuid();
        fs.label();
        fs.warnings();
        fs.totalBytes();
        fs.blockSize();
        fs.freeBytes();
        int[] budget = {MAX_ENTRIES};
        walk(fs, fs.root(), 0, budget);
        for (String path : new String[] {"/EFI/BOOT/grub.cfg", "/dir/../a.bin", "/DIR/Long File Name.txt"}) {
            if (fs.exists(path) && !fs.isDirectory(path)) {
                read(fs, fs.entry(path));
            }
        }
    }

    private static void walk(FileSystem fs, FileEntry dir, int depth, int[] budget) throws IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        for (FileEntry e : fs.list(dir)) {
            if (--budget[0] < 0) {
                return;
            }
            if (e.isDirectory()) {
                walk(fs, e, depth + 1, budget);
            } else {
                read(fs, e);
            }
        }
    }

    /** The whole file in 4 KiB steps by position (never held whole: a size may claim gigabytes). */
    private static void read(FileSystem fs, FileEntry file) throws IOException {
        OpenFile open = fs.open(file);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long position = 0;
        int n;
        long steps = 0;
        while ((n = open.read(buffer.clear(), position)) > 0 && ++steps < 4096) {
            position += n;
        }
    }
}
