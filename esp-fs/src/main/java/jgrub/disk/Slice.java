package jgrub.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** A range of another device, for example one partition of a disk image. */
final class Slice implements BlockDevice {

    private final BlockDevice parent;
    private final long start;
    private final long length;

    Slice(BlockDevice parent, long start, long length) {
        this.parent = parent;
        this.start = start;
        this.length = length;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        parent.read(start + offset, dst);
    }

    @Override
    public void transferTo(long offset, long count, WritableByteChannel target) throws IOException {
        check(offset, count);
        parent.transferTo(start + offset, count, target);
    }

    private void check(long offset, long count) throws DiskFormatException {
        if (offset < 0 || count < 0 || offset > length || count > length - offset) {
            throw DiskImage.truncated(imageOffset(offset), count, imageOffset(length));
        }
    }

    @Override
    public long imageOffset(long offset) {
        return parent.imageOffset(start + offset);
    }

    @Override
    public String toString() {
        return parent + "[0x" + Long.toHexString(start) + "+0x" + Long.toHexString(length) + "]";
    }
}
