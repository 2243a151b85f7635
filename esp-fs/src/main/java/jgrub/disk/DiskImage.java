package jgrub.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A raw disk image file or a block device ({@code /dev/sdX}, a partition, a loop device), opened read-only. Any size
 * works (sparse files, images over 4 GiB): every access is a positional read on one {@link FileChannel}, so holes cost
 * nothing and nothing is mapped or cached. Anything else (a FIFO, a character device such as {@code /dev/zero}, a
 * directory) is refused before it is opened, since reading it could block or never end.
 */
public final class DiskImage implements BlockDevice, Closeable {

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int logicalSectorSize;

    private DiskImage(Path path, FileChannel channel, long size, int logicalSectorSize) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.logicalSectorSize = logicalSectorSize;
    }

    /**
     * Opens {@code path} read-only: a regular file, or a block device whose size and logical sector size the kernel
     * gives. Missing files raise {@link java.nio.file.NoSuchFileException}; other kinds of file a
     * {@link DiskFormatException} naming the kind.
     */
    public static DiskImage open(Path path) throws IOException {
        String kind = kind(path);
        if (!kind.equals("file") && !kind.equals("block device")) {
            throw new DiskFormatException(DiskFormatException.Kind.UNSUPPORTED, path.toString(), "a " + kind
                    + ", not a disk image (give an image file or a block device)");
        }
        BlockDeviceIoctls.Geometry geometry = kind.equals("block device") ? BlockDeviceIoctls.of(path) : null;
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return geometry == null ? new DiskImage(path, channel, channel.size(), 512)
                    : new DiskImage(path, channel, geometry.size(), geometry.logicalSectorSize());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens {@code path} read-only as the disk it holds: a qcow2 image ({@link Qcow2Image}, with its backing files)
     * or, otherwise, a raw image or block device as {@link #open} does.
     */
    public static BlockDevice openImage(Path path) throws IOException {
        return openImage(path, 0);
    }

    static BlockDevice openImage(Path path, int depth) throws IOException {
        DiskImage raw = open(path);
        try {
            if (!Qcow2Image.isQcow2(raw)) {
                return raw;
            }
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
        raw.close();
        return Qcow2Image.open(path, depth);
    }

    /** What kind of file {@code path} is, by its mode bits: file, block device, FIFO, character device, ... */
    private static String kind(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return switch (mode & 0170000) {
            case 0100000 -> "file";
            case 0060000 -> "block device";
            case 0040000 -> "directory";
            case 0010000 -> "FIFO";
            case 0020000 -> "character device";
            case 0140000 -> "socket";
            default -> "file of mode 0" + Integer.toOctalString(mode);
        };
    }

    /** 512 for image files; for a block device, the logical sector size the kernel reports (512 or 4096). */
    public int logicalSectorSize() {
        return logicalSectorSize;
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long imageOffset(long offset) {
        return offset;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int count = dst.remaining();
        if (offset < 0 || offset > size || count > size - offset) {
            throw truncated(offset, count, size);
        }
        long position = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position);
            if (n < 0) {
                // The file shrank while open.
                throw truncated(offset, count, position);
            }
            position += n;
        }
    }

    @Override
    public void transferTo(long offset, long count, WritableByteChannel target) throws IOException {
        if (offset < 0 || count < 0 || offset > size || count > size - offset) {
            throw truncated(offset, count, size);
        }
        while (count > 0) {
            long n = channel.transferTo(offset, count, target);
            if (n <= 0) {
                if (offset >= channel.size()) {
                    throw truncated(offset, count, channel.size());
                }
                // transferTo may return 0 for a non-blocking or odd target; fall back to plain reads.
                BlockDevice.super.transferTo(offset, count, target);
                return;
            }
            offset += n;
            count -= n;
        }
    }

    static DiskFormatException truncated(long offset, long count, long end) {
        return new DiskFormatException(DiskFormatException.Kind.CORRUPT, "disk image", "read offset", offset, offset,
                "truncated: 0x" + Long.toHexString(count).toUpperCase(Locale.ROOT) + " bytes needed, the data ends at 0x"
                        + Long.toHexString(end).toUpperCase(Locale.ROOT));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
