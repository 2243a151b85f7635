package jgrub.fs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import jgrub.ext.ExtFile;
import jgrub.fat.FatFile;

/** A file opened for reading, straight from the device: its bytes are never held whole in the heap. Thread-safe. */
public sealed interface OpenFile permits FatFile, ExtFile {

    FileEntry entry();

    long size();

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at or past the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * Fills {@code dst}, from its position on, with the file's bytes at the same offsets (a buffer whose position 0
     * is the file's first byte); a file that ends first is an {@link EOFException} naming it as {@code name}.
     */
    default void readFully(ByteBuffer dst, String name) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst, dst.position()) < 0) {
                throw new EOFException(name + ": ended at 0x" + Integer.toHexString(dst.position())
                        + " of its size 0x" + Long.toHexString(size()));
            }
        }
    }

    /** Copies {@code count} bytes from {@code position} to {@code target}. */
    void transferTo(long position, long count, WritableByteChannel target) throws IOException;

    /**
     * For implementations of {@link #read}: how many bytes a read into {@code dst} at {@code position} of a file of
     * {@code size} bytes returns, -1 at or past the end.
     */
    static int readLength(ByteBuffer dst, long position, long size) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (position >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        return (int) Math.min(dst.remaining(), size - position);
    }

    /** For implementations of {@link #transferTo}: the range must lie within the file. */
    static void checkRange(long position, long count, long size) {
        if (position < 0 || count < 0 || position > size || count > size - position) {
            throw new IllegalArgumentException("range " + position + "+" + count + " outside a file of " + size);
        }
    }

    /** A stream over the whole file. */
    default InputStream newInputStream() {
        return new InputStream() {
            private long position;
            private long mark;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = OpenFile.this.read(ByteBuffer.wrap(b, off, len), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            public long skip(long n) {
                long skipped = Math.max(0, Math.min(n, size() - position));
                position += skipped;
                return skipped;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, size() - position);
            }

            @Override
            public boolean markSupported() {
                return true;
            }

            @Override
            public synchronized void mark(int readlimit) {
                mark = position;
            }

            @Override
            public synchronized void reset() {
                position = mark;
            }

            @Override
            public long transferTo(java.io.OutputStream out) throws IOException {
                long n = size() - position;
                OpenFile.this.transferTo(position, n, java.nio.channels.Channels.newChannel(out));
                position = size();
                return n;
            }
        };
    }

    /** A read-only channel with its own position, for callers that seek (the EFI file protocol). */
    default SeekableByteChannel newChannel() {
        return new SeekableByteChannel() {
            private long position;
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                ensureOpen();
                int n = OpenFile.this.read(dst, position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            public int write(ByteBuffer src) {
                throw new NonWritableChannelException();
            }

            @Override
            public long position() throws IOException {
                ensureOpen();
                return position;
            }

            @Override
            public SeekableByteChannel position(long newPosition) throws IOException {
                ensureOpen();
                if (newPosition < 0) {
                    throw new IllegalArgumentException("negative position " + newPosition);
                }
                position = newPosition;
                return this;
            }

            @Override
            public long size() throws IOException {
                ensureOpen();
                return OpenFile.this.size();
            }

            @Override
            public SeekableByteChannel truncate(long newSize) {
                throw new NonWritableChannelException();
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }

            private void ensureOpen() throws ClosedChannelException {
                if (!open) {
                    throw new ClosedChannelException();
                }
            }
        };
    }
}
