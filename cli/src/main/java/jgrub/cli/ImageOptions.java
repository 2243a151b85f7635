package jgrub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import jgrub.fs.Disk;
import jgrub.fs.FileSystem;
import jgrub.grub.GrubConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** IMAGE and {@code --partition}: which partition of which disk a command reads, shared by {@code ls} and {@code cat}. */
final class ImageOptions {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Raw disk image, or a bare FAT or ext2/3/4 image.")
    Path image;

    @Option(names = {"-p", "--partition"}, paramLabel = "PART",
            description = "Partition to read: a number or a GRUB name such as (hd0,gpt1) or (hd0,msdos1). "
                    + "Default: the EFI System Partition (or the only FAT one, or the whole disk if it has no table). "
                    + "FAT and ext2/3/4 partitions are read.")
    String partition;

    /**
     * A path may name its partition GRUB-style, {@code (hd0,gpt1)/EFI/BOOT}; that wins over {@code --partition}.
     * Returns {partition or null, path}.
     */
    String[] split(String path) {
        if (path != null && path.startsWith("(")) {
            int close = path.indexOf(')');
            if (close > 0) {
                String rest = path.substring(close + 1);
                return new String[] {path.substring(0, close + 1), rest.isEmpty() ? "/" : rest};
            }
        }
        return new String[] {partition, path == null ? "/" : path};
    }

    /**
     * The file system of the partition {@code partition} names (null: the ESP); the disk's and the file system's
     * warnings (an ext journal needing recovery) to err.
     */
    static FileSystem open(Disk disk, String partition, PrintWriter err) throws IOException {
        try {
            return disk.fileSystem(disk.partition(partition));
        } finally {
            GrubConfig.diskWarnings(disk).forEach(err::println);
        }
    }

    Disk openDisk() throws IOException {
        return Disk.open(image);
    }
}
