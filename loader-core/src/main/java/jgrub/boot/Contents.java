package jgrub.boot;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The bytes of a segment, produced when the machine writes guest memory, so large modules need not sit in the heap. */
public interface Contents {

    long size();

    /** Writes exactly {@link #size()} bytes into {@code target}, starting at its position. */
    void writeTo(ByteBuffer target) throws IOException;

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
        };
    }
}
