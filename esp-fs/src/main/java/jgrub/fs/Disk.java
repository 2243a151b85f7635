package jgrub.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.disk.DiskFormatException;
import jgrub.disk.DiskImage;
import jgrub.ext.ExtFileSystem;
import jgrub.fat.FatFileSystem;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;
import jgrub.part.PartitionTable;
import jgrub.part.PartitionTableException;

/**
 * A disk with its partition table, and the file system of each partition, opened once when first asked for and
 * shared from then on by everyone who reads the disk in a run: the config reader, the loader commands, and EFI's
 * Simple File System and Block I/O. A partition whose file system could not be opened gives the same exception
 * every time.
 *
 * <pre>{@code
 * try (Disk disk = Disk.open(Path.of("disk.img"))) {
 *     FileSystem esp = disk.fileSystem(disk.partition(null));     // the ESP, or disk.partition("(hd0,gpt2)")
 *     try (InputStream in = esp.newInputStream("/EFI/BOOT/grub.cfg")) { ... }
 * }
 * }</pre>
 */
public final class Disk implements Closeable {

    private final BlockDevice device;
    private final String name;
    private final PartitionTable table;
    /**
     * Per partition, by its first byte: its {@link FileSystem}, or the {@link IOException} opening it raised. (Keyed by
     * a long, not the record: a record's hashCode is bootstrapped through method handles, which costs a boot's start.)
     */
    private final Map<Long, Object> fileSystems = new HashMap<>();

    private Disk(BlockDevice device, String name, PartitionTable table) {
        this.device = device;
        this.name = name;
        this.table = table;
    }

    /** Opens the image file (raw or qcow2) or block device at {@code path} read-only and reads its partition table. */
    public static Disk open(Path path) throws IOException {
        BlockDevice image = DiskImage.openImage(path);
        try {
            return of(image, path.toString());
        } catch (IOException | RuntimeException e) {
            if (image instanceof Closeable closeable) {
                closeable.close();
            }
            throw e;
        }
    }

    /**
     * Reads the partition table of {@code device}; {@code name} stands for the disk in messages. The disk owns the
     * device from then on: closing the disk closes the device if it is {@link Closeable}.
     */
    public static Disk of(BlockDevice device, String name) throws IOException {
        return new Disk(device, name, PartitionTable.read(device));
    }

    /** The name messages give the disk: the image's path. */
    public String name() {
        return name;
    }

    /** The whole disk. */
    public BlockDevice device() {
        return device;
    }

    /** The partition table; for a bare file system, one partition of scheme {@link PartitionScheme#NONE}. */
    public PartitionTable table() {
        return table;
    }

    /** The bytes of {@code partition}. */
    public BlockDevice device(Partition partition) throws DiskFormatException {
        return partition.scheme() == PartitionScheme.NONE ? device : device.slice(partition.start(), partition.size());
    }

    /**
     * The partition {@code spec} names (a number, {@code gpt1}, {@code hd0,gpt1}, {@code (hd0,msdos1)},
     * {@code (hd0)}), or for null the ESP: typed as one, else the only partition typed FAT, else the only partition
     * holding a file system jgrub reads.
     */
    public Partition partition(String spec) throws IOException {
        if (spec != null) {
            return table.select(spec);
        }
        var typed = table.esp();
        if (typed.isPresent()) {
            return typed.get();
        }
        List<Partition> readable = new ArrayList<>();
        for (Partition p : table.partitions()) {
            if (findFileSystem(p).isPresent()) {
                readable.add(p);
            }
        }
        if (readable.size() == 1) {
            return readable.get(0);
        }
        throw new PartitionTableException(DiskFormatException.Kind.UNSUPPORTED, name,
                readable.isEmpty() ? "no EFI System Partition and no FAT partition"
                        : "no EFI System Partition but " + readable.size()
                                + " partitions with a file system; pick one with --partition");
    }

    /**
     * The file system on {@code partition}, opened on the first call; a {@link DiskFormatException} when it holds
     * none jgrub reads or a damaged one.
     */
    public synchronized FileSystem fileSystem(Partition partition) throws IOException {
        Object opened = fileSystems.get(partition.start());
        if (opened == null) {
            try {
                opened = probe(partition);
            } catch (IOException e) {
                opened = e;
            }
            fileSystems.put(partition.start(), opened);
        }
        if (opened instanceof IOException e) {
            throw e;
        }
        return (FileSystem) opened;
    }

    /**
     * The file system on {@code partition}, or empty when it holds none jgrub reads (or a damaged one: then
     * {@link #fileSystem} says what is wrong). Other failures, such as a read error, are thrown.
     */
    public Optional<FileSystem> findFileSystem(Partition partition) throws IOException {
        try {
            return Optional.of(fileSystem(partition));
        } catch (DiskFormatException none) {
            return Optional.empty();
        }
    }

    /**
     * What the user should hear about the disk though it opened, one line each: the partition table's warnings (a
     * backup GPT used, ...), then those of each file system opened so far, after its partition's GRUB name.
     */
    public synchronized List<String> warnings() {
        List<String> all = new ArrayList<>(table.warnings());
        for (Partition p : table.partitions()) {
            if (fileSystems.get(p.start()) instanceof FileSystem fs) {
                for (String warning : fs.warnings()) {
                    all.add(p.grubName() + ": " + warning);
                }
            }
        }
        return all;
    }

    /** ext2/3/4 by its superblock magic at byte 1080, else FAT (whose own checks say what is wrong). */
    private FileSystem probe(Partition partition) throws IOException {
        BlockDevice device = device(partition);
        if (ExtFileSystem.hasSignature(device)) {
            return ExtFileSystem.open(device);
        }
        return FatFileSystem.open(device);
    }

    @Override
    public void close() throws IOException {
        if (device instanceof Closeable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
