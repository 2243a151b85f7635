package jgrub.multiboot;

import static jgrub.multiboot.ImageFormatException.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A little-endian view of a file's bytes in which every read is bounds-checked and names what it reads, so that a
 * truncated or lying file yields an {@link ImageFormatException} naming the structure, field and offset instead of an
 * {@link IndexOutOfBoundsException}. Multiboot, ELF on x86 and the PC are little-endian throughout.
 */
public final class Bytes {

    private final String name;
    private final ByteBuffer buffer;

    public Bytes(String name, byte[] bytes) {
        this.name = name;
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The file or structure name used in messages. */
    public String name() {
        return name;
    }

    public int size() {
        return buffer.capacity();
    }

    public byte[] array() {
        return buffer.array();
    }

    /** Checks that {@code [offset, offset + length)} lies in the file; {@code field} names what should be there. */
    public void require(String structure, String field, long offset, long length) throws ImageFormatException {
        if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
            throw new ImageFormatException(name + ": " + structure + " " + field + " at offset " + hex(offset)
                    + " (" + hex(length) + " bytes) is past the end of the file (" + hex(size())
                    + " bytes): truncated (corrupt)");
        }
    }

    public int u8(String structure, String field, long offset) throws ImageFormatException {
        require(structure, field, offset, 1);
        return Byte.toUnsignedInt(buffer.get((int) offset));
    }

    public int u16(String structure, String field, long offset) throws ImageFormatException {
        require(structure, field, offset, 2);
        return Short.toUnsignedInt(buffer.getShort((int) offset));
    }

    public long u32(String structure, String field, long offset) throws ImageFormatException {
        require(structure, field, offset, 4);
        return Integer.toUnsignedLong(buffer.getInt((int) offset));
    }

    /** A 64-bit field; values of 2^63 and above are refused, since no guest address or file offset is that large. */
    public long u64(String structure, String field, long offset) throws ImageFormatException {
        require(structure, field, offset, 8);
        long value = buffer.getLong((int) offset);
        if (value < 0) {
            throw ImageFormatException.corrupt(name + ": " + structure, field, value, offset, "is absurdly large");
        }
        return value;
    }

    /** An unchecked 32-bit read at an offset the caller has already {@link #require}d. */
    public long u32At(int offset) {
        return Integer.toUnsignedLong(buffer.getInt(offset));
    }

    public byte[] slice(int offset, int length) {
        byte[] out = new byte[length];
        buffer.get(offset, out);
        return out;
    }
}
