package jgrub.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;

/** Small bzImages built field by field, firmware reports as SeaBIOS gives them, and segment bytes. */
final class Images {

    private Images() {
    }

    /**
     * A 0x1000-byte bzImage of protocol 2.15: one setup sector, the protected-mode part from 0x400, relocatable with
     * 2 MiB alignment, pref_address 16 MiB, init_size 0x10000, cmdline_size 255.
     */
    static byte[] bzImage() {
        byte[] image = new byte[0x1000];
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1);
        b.putShort(0x1fe, (short) 0xaa55);
        b.put(0x200, (byte) 0xeb).put(0x201, (byte) 0x66);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        b.put(0x211, (byte) 0x01);
        b.putInt(0x214, 0x100000);
        b.putInt(0x22c, 0x7fffffff);
        b.putInt(0x230, 0x200000);
        b.put(0x234, (byte) 1);
        b.put(0x235, (byte) 21);
        b.putShort(0x236, (short) 0x7f);
        b.putInt(0x238, 255);
        b.putLong(0x258, 0x1000000);
        b.putInt(0x260, 0x10000);
        return image;
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** SeaBIOS's E820 map under QEMU 7.2 {@code -machine pc -m 2048}. */
    static List<MemoryRegion> seabios2g() {
        return List.of(
                new MemoryRegion(0x0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
                new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x100000, 0x7fee0000L, MemoryType.USABLE),
                new MemoryRegion(0x7ffe0000L, 0x20000, MemoryType.RESERVED),
                new MemoryRegion(0xfffc0000L, 0x40000, MemoryType.RESERVED),
                new MemoryRegion(0xfd00000000L, 0x300000000L, MemoryType.RESERVED));
    }

    /** The firmware as the machine reports it: SeaBIOS's map and jgrub's low-memory area. */
    static Firmware firmware(List<MemoryRegion> map) {
        return new Firmware(map, Optional.empty(), List.of(new MemoryRegion(0, 0x500, MemoryType.RESERVED),
                new MemoryRegion(0x1000, 0xf000, MemoryType.RESERVED)));
    }

    static byte[] bytes(Segment segment) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate((int) segment.contents().size());
        segment.contents().writeTo(buffer);
        return buffer.array();
    }

    static Segment named(List<Segment> segments, String prefix) {
        return segments.stream().filter(s -> s.name().startsWith(prefix)).findFirst().orElseThrow();
    }
}
