package jgrub.boot;

/** One range of the firmware memory map: {@code [base, base + length)} of the given type. */
public record MemoryRegion(long base, long length, MemoryType type) {

    public MemoryRegion {
        if (length < 0 || base < 0 || Long.MAX_VALUE - base < length) {
            throw new IllegalArgumentException("memory region out of range: base 0x" + Long.toHexString(base)
                    + " length 0x" + Long.toHexString(length));
        }
    }

    /** First address past the region. */
    public long end() {
        return base + length;
    }

    public boolean contains(long address, long size) {
        return address >= base && size >= 0 && address <= end() - size;
    }
}
