package jgrub.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** The bytes of a segment, produced when the machine writes guest memory, so large modules need not sit in the heap. */
public interface Contents {

    long size();

    /** Writes exactly {@link #size()} bytes into {@code target}, starting at its position. */
    void writeTo(ByteBuffer target) throws IOException;

    /**
     * Hands exactly {@link #size()} bytes to {@code sink}, in order, in pieces: for a copy that goes elsewhere than one
     * buffer (an EFI call's guest buffer, page by page). This default gathers them in one heap buffer first; contents
     * that can do better say so.
     */
    default void copyTo(WritableByteChannel sink) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size()));
        writeTo(all);
        all.flip();
        drain(all, sink);
    }

    /** Writes all of {@code bytes} to {@code sink}. */
    static void drain(ByteBuffer bytes, WritableByteChannel sink) throws IOException {
        while (bytes.hasRemaining()) {
            sink.write(bytes);
        }
    }

    static Contents of(byte[] bytes) {
        return new Contents() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void writeTo(ByteBuffer target) {
                target.put(bytes);
            }

            @Override
            public void copyTo(WritableByteChannel sink) throws IOException {
                drain(ByteBuffer.wrap(bytes), sink);
            }
        };
    }
}
