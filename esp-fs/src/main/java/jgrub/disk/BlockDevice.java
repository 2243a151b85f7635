package jgrub.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Read-only random access to a range of bytes of a disk image: the whole image or one partition. Reads are
 * positional and thread-safe; nothing is cached here.
 */
public interface BlockDevice {

    /** Length in bytes. */
    long size();

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code offset}.
     *
     * @throws DiskFormatException if the range lies (partly) past the end: the image is truncated
     */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** The absolute offset in the image file of byte {@code offset} of this device; exception messages use it. */
    long imageOffset(long offset);

    /**
     * Copies {@code count} bytes at {@code offset} to {@code target}, as fast as the platform allows (a file-backed
     * device uses {@link java.nio.channels.FileChannel#transferTo}).
     */
    default void transferTo(long offset, long count, WritableByteChannel target) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 20));
        while (count > 0) {
            buffer.clear().limit((int) Math.min(count, buffer.capacity()));
            read(offset, buffer);
            buffer.flip();
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            offset += buffer.limit();
            count -= buffer.limit();
        }
    }

    /** The bytes {@code [offset, offset + length)} of this device as a device of their own. */
    default BlockDevice slice(long offset, long length) throws DiskFormatException {
        if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
            throw new DiskFormatException(DiskFormatException.Kind.CORRUPT, "disk image", "range end",
                    offset + length, imageOffset(offset), "ends past the end of the image at 0x"
                            + Long.toHexString(imageOffset(size())).toUpperCase(java.util.Locale.ROOT));
        }
        return new Slice(this, offset, length);
    }
}
