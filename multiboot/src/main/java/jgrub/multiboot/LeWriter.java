package jgrub.multiboot;

import java.io.ByteArrayOutputStream;

/** Builds a little-endian structure (an info block) byte by byte; positions are offsets from its start. */
public final class LeWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    public int position() {
        return out.size();
    }

    public LeWriter u8(int v) {
        out.write(v);
        return this;
    }

    public LeWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public LeWriter u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public LeWriter u64(long v) {
        u32(v);
        return u32(v >>> 32);
    }

    public LeWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public LeWriter zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    /** Pads with zeros to a multiple of {@code align}. */
    public LeWriter align(int align) {
        while (out.size() % align != 0) {
            out.write(0);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Overwrites a 32-bit field written earlier. */
    public static void put32(byte[] target, int offset, long v) {
        for (int i = 0; i < 4; i++) {
            target[offset + i] = (byte) (v >>> (8 * i));
        }
    }
}
