package jgrub.boot;

/**
 * Where a loader may put what it places in guest memory. One allocator serves a whole boot, so nothing is placed
 * twice: on the BIOS platform one that knows the firmware map and jgrub's own ranges, in jgrub's EFI environment the
 * EFI memory map itself, so that everything placed shows as in use to the guest's GetMemoryMap.
 */
public interface GuestAllocator {

    /** Takes {@code [address, address + size)} exactly, or says what is in the way. */
    void claim(String name, long address, long size) throws BootException;

    /**
     * Takes {@code size} bytes starting at a multiple of {@code align} (a power of two), between {@code min} and
     * {@code maxStart} inclusive, the lowest such or (when {@code high}) the highest; returns the start.
     */
    long allocate(String name, long min, long maxStart, long size, long align, boolean high) throws BootException;

    /** The refusal of {@link #allocate} when nothing fits; {@code where} names the memory that was searched. */
    static BootException noRoom(String name, long size, long align, long min, long maxStart, String where) {
        return new BootException("no room for " + name + " (" + hex(size) + " bytes, aligned " + hex(align)
                + ", starting in [" + hex(min) + ", " + hex(maxStart) + "]) in " + where);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
