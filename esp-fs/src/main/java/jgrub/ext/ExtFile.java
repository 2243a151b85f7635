package jgrub.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import jgrub.fs.OpenFile;

/**
 * An open ext2/3/4 file, streamed: each read maps its range run by run through the inode's {@link BlockMap} and reads
 * the device; holes and uninitialized extents read as zeros. Inline data (at most an inode's worth) is the only
 * content held in the heap. Thread-safe.
 */
public final class ExtFile implements OpenFile {

    /** Zeros for holes, shared and never written. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final ExtFileSystem fs;
    private final ExtEntry entry;
    private final long size;
    private final BlockMap map;
    private final byte[] inline;

    private ExtFile(ExtFileSystem fs, ExtEntry entry, long size, BlockMap map, byte[] inline) {
        this.fs = fs;
        this.entry = entry;
        this.size = size;
        this.map = map;
        this.inline = inline;
    }

    /** A file whose bytes lie in blocks. */
    static ExtFile mapped(ExtFileSystem fs, ExtEntry entry, long size, BlockMap map) {
        return new ExtFile(fs, entry, size, map, null);
    }

    /** A file whose bytes are held in its inode (inline_data). */
    static ExtFile inline(ExtFileSystem fs, ExtEntry entry, byte[] data) {
        return new ExtFile(fs, entry, data.length, null, data);
    }

    @Override
    public ExtEntry entry() {
        return entry;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int total = OpenFile.readLength(dst, position, size);
        if (total <= 0) {
            return total;
        }
        if (inline != null) {
            dst.put(inline, (int) position, total);
            return total;
        }
        int limit = dst.limit();
        try {
            forEachRun(position, total, (physicalOffset, length) -> {
                dst.limit(dst.position() + (int) length);
                if (physicalOffset < 0) {
                    while (dst.hasRemaining()) {
                        dst.put(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), dst.remaining())));
                    }
                } else {
                    fs.device().read(physicalOffset, dst);
                }
            });
        } finally {
            dst.limit(limit);
        }
        return total;
    }

    @Override
    public void transferTo(long position, long count, WritableByteChannel target) throws IOException {
        OpenFile.checkRange(position, count, size);
        if (inline != null) {
            ByteBuffer bytes = ByteBuffer.wrap(inline, (int) position, (int) count);
            while (bytes.hasRemaining()) {
                target.write(bytes);
            }
            return;
        }
        forEachRun(position, count, (physicalOffset, length) -> {
            if (physicalOffset < 0) {
                while (length > 0) {
                    ByteBuffer zeros = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), length));
                    length -= zeros.remaining();
                    while (zeros.hasRemaining()) {
                        target.write(zeros);
                    }
                }
            } else {
                fs.device().transferTo(physicalOffset, length, target);
            }
        });
    }

    /** Receives one contiguous piece of a read: its device offset (negative for zeros) and length. */
    @FunctionalInterface
    private interface Piece {
        void accept(long physicalOffset, long length) throws IOException;
    }

    private void forEachRun(long position, long count, Piece piece) throws IOException {
        int blockSize = fs.blockSize();
        long done = 0;
        while (done < count) {
            long at = position + done;
            long logical = at / blockSize;
            long within = at % blockSize;
            long blocks = (within + count - done + blockSize - 1) / blockSize;
            BlockMap.Run run = map.run(logical, blocks);
            long length = Math.min(count - done, run.count() * blockSize - within);
            piece.accept(run.physical() == BlockMap.HOLE ? -1 : run.physical() * blockSize + within, length);
            done += length;
        }
    }
}
