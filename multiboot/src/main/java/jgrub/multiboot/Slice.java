package jgrub.multiboot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import jgrub.boot.Contents;

/** A range of a byte array as segment contents, so loading an image does not copy it. */
public record Slice(byte[] array, int offset, int length) implements Contents {

    public Slice {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") outside " + array.length);
        }
    }

    public static Slice of(byte[] array) {
        return new Slice(array, 0, array.length);
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void writeTo(ByteBuffer target) {
        target.put(array, offset, length);
    }

    @Override
    public void copyTo(WritableByteChannel sink) throws IOException {
        Contents.drain(ByteBuffer.wrap(array, offset, length), sink);
    }

    public byte[] toArray() {
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        return copy;
    }
}
