package jgrub.esp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.disk.BlockDevice;
import jgrub.disk.DiskFormatException;
import jgrub.disk.DiskImage;
import jgrub.fat.FatFileSystem;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;
import jgrub.part.PartitionTable;
import jgrub.part.PartitionTableException;

/**
 * A disk image with its partition table: the entry point other modules use to get at the files of an ESP.
 *
 * <pre>{@code
 * try (EspImage disk = EspImage.open(Path.of("disk.img"))) {
 *     FatFileSystem esp = disk.fileSystem(null);          // the ESP, or disk.fileSystem("(hd0,gpt2)")
 *     try (InputStream in = esp.newInputStream("/EFI/BOOT/grub.cfg")) { ... }
 * }
 * }</pre>
 */
public final class EspImage implements Closeable {

    private final DiskImage image;
    private final PartitionTable table;

    private EspImage(DiskImage image, PartitionTable table) {
        this.image = image;
        this.table = table;
    }

    /** Opens {@code path} read-only and reads its partition table. */
    public static EspImage open(Path path) throws IOException {
        DiskImage image = DiskImage.open(path);
        try {
            return new EspImage(image, PartitionTable.read(image));
        } catch (IOException | RuntimeException e) {
            image.close();
            throw e;
        }
    }

    public DiskImage image() {
        return image;
    }

    public PartitionTable table() {
        return table;
    }

    /**
     * The partition {@code spec} names (a number, {@code gpt1}, {@code (hd0,msdos1)}, {@code (hd0)}), or for null
     * the ESP: typed as one, else the only partition typed FAT, else the only partition holding a FAT file system.
     */
    public Partition partition(String spec) throws IOException {
        if (spec != null) {
            return table.select(spec);
        }
        var typed = table.esp();
        if (typed.isPresent()) {
            return typed.get();
        }
        List<Partition> fat = new ArrayList<>();
        for (Partition p : table.partitions()) {
            try {
                FatFileSystem.open(device(p));
                fat.add(p);
            } catch (DiskFormatException notFat) {
                // not a FAT partition; keep looking
            }
        }
        if (fat.size() == 1) {
            return fat.get(0);
        }
        throw new PartitionTableException(DiskFormatException.Kind.UNSUPPORTED, image.path().toString(),
                fat.isEmpty() ? "no EFI System Partition and no FAT partition"
                        : "no EFI System Partition but " + fat.size() + " FAT partitions; pick one with --partition");
    }

    /** The bytes of {@code partition}. */
    public BlockDevice device(Partition partition) throws DiskFormatException {
        return partition.scheme() == PartitionScheme.NONE ? image : image.slice(partition.start(), partition.size());
    }

    /** The FAT file system on the partition {@code spec} names, or on the ESP for null. */
    public FatFileSystem fileSystem(String spec) throws IOException {
        return FatFileSystem.open(device(partition(spec)));
    }

    @Override
    public void close() throws IOException {
        image.close();
    }
}
