package jgrub.efi;

/**
 * jgrub's own structures in guest memory (tables, protocol instances, handles, strings), handed out from one region
 * the memory map records under the region's type. Nothing is freed one by one; the region lives as long as its type
 * says (boot-services data until ExitBootServices, runtime data for ever).
 */
final class EfiArena {

    private final long start;
    private final long end;
    private long next;

    EfiArena(long start, long size) {
        this.start = start;
        this.end = start + size;
        this.next = start;
    }

    /** The whole region, for the ranges guest pointers may not write. */
    GuestPointers.Guarded guarded(String name) {
        return new GuestPointers.Guarded(name, start, end - start);
    }

    /** {@code size} bytes aligned to 16. */
    long allocate(long size) throws EfiException {
        long address = (next + 15) & -16L;
        if (size < 0 || address > end - size) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, "jgrub's EFI arena at 0x" + Long.toHexString(start)
                    + " is full");
        }
        next = address + size;
        return address;
    }
}
