package jgrub.multiboot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guest memory as a kernel reads it: bytes, 32-bit words and NUL-terminated strings at addresses. */
public interface ReadableMemory {

    byte[] read(long address, int length) throws IOException;

    default long u32(long address) throws IOException {
        return Integer.toUnsignedLong(ByteBuffer.wrap(read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    default String string(long address) throws IOException {
        StringBuilder s = new StringBuilder();
        for (long at = address; ; at++) {
            byte b = read(at, 1)[0];
            if (b == 0) {
                return s.toString();
            }
            s.append((char) (b & 0xff));
        }
    }
}
