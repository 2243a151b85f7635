package jgrub.boot;

/**
 * Bytes a loader wants at a guest-physical address: {@code contents} at {@code address}, then zeros up to
 * {@code memorySize} (an ELF segment's BSS). The name says what it is, for plans, errors and pictures.
 */
public record Segment(String name, long address, Contents contents, long memorySize) {

    public Segment {
        if (memorySize < contents.size()) {
            throw new IllegalArgumentException(name + ": memory size 0x" + Long.toHexString(memorySize)
                    + " is smaller than its contents (0x" + Long.toHexString(contents.size()) + " bytes)");
        }
        if (address < 0 || Long.MAX_VALUE - address < memorySize) {
            throw new IllegalArgumentException(name + ": address 0x" + Long.toHexString(address) + " out of range");
        }
    }

    public static Segment of(String name, long address, byte[] bytes) {
        return new Segment(name, address, Contents.of(bytes), bytes.length);
    }

    public long end() {
        return address + memorySize;
    }
}
