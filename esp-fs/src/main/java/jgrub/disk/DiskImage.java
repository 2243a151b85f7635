package jgrub.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A raw disk image file opened read-only. Any size works (sparse files, images over 4 GiB): every access is a
 * positional read on one {@link FileChannel}, so holes cost nothing and nothing is mapped or cached.
 */
public final class DiskImage implements BlockDevice, Closeable {

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private DiskImage(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code path} read-only. Missing files raise {@link java.nio.file.NoSuchFileException}. */
    public static DiskImage open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new DiskImage(path, channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
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
