package jgrub.disk;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/** An image in memory with a few bytes patched over it, so that each mutation costs no copy of the image. */
public final class MemoryDevice implements BlockDevice {

    private final byte[] base;
    private final TreeMap<Long, Byte> patches = new TreeMap<>();

    public MemoryDevice(byte[] base) {
        this.base = base;
    }

    public void patch(long offset, int value) {
        patches.put(offset, (byte) value);
    }

    @Override
    public long size() {
        return base.length;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws DiskFormatException {
        int n = dst.remaining();
        if (offset < 0 || offset > base.length || n > base.length - offset) {
            throw new DiskFormatException(DiskFormatException.Kind.CORRUPT, "disk image", "read offset", offset,
                    offset, "truncated");
        }
        int start = dst.position();
        dst.put(base, (int) offset, n);
        for (Map.Entry<Long, Byte> p : patches.subMap(offset, offset + n).entrySet()) {
            dst.put(start + (int) (p.getKey() - offset), p.getValue());
        }
    }

    @Override
    public long imageOffset(long offset) {
        return offset;
    }
}
