package jgrub.boot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where things may go in guest memory on the BIOS platform, as GRUB's relocator decides it: only in RAM the firmware
 * reports usable, never over any range it reports otherwise (BIOS data, EBDA, ACPI, reserved), never over what jgrub
 * itself occupies ({@link Firmware#loaderReserved()}), never over what was placed before. Fixed placements
 * ({@link #claim}) must fit exactly; flexible ones ({@link #allocate}) take the lowest or highest aligned address that
 * fits, as GRUB's {@code grub_relocator_alloc_chunk_align} does with preference "none"/"low" or "high". Byte-granular,
 * as GRUB's relocator is.
 */
public final class Placement implements GuestAllocator {

    private static final long FOUR_GIB = 1L << 32;

    private final List<MemoryRegion> usable = new ArrayList<>();
    /** Ranges nothing may be placed over, and why. */
    private final TakenRanges blocked = new TakenRanges();

    public Placement(Firmware firmware) {
        for (MemoryRegion r : firmware.memoryMap()) {
            if (r.length() == 0) {
                continue;
            }
            if (r.type() == MemoryType.USABLE) {
                usable.add(r);
            } else {
                blocked.take("firmware " + r.type().name().toLowerCase().replace('_', ' ') + " memory", r.base(),
                        r.end());
            }
        }
        for (MemoryRegion r : firmware.loaderReserved()) {
            blocked.take("jgrub's own memory", r.base(), r.end());
        }
        usable.sort(Comparator.comparingLong(MemoryRegion::base));
    }

    /** Keeps {@code [start, end)} free of everything, naming why (for example the real-mode interrupt table). */
    public void reserve(long start, long end, String what) {
        blocked.take(what, start, end);
    }

    @Override
    public void claim(String name, long address, long size) throws BootException {
        if (size == 0) {
            return;
        }
        long end = address + size;
        blocked.requireFree(name, address, end);
        for (MemoryRegion r : usable) {
            if (r.contains(address, size)) {
                blocked.take(name, address, end);
                return;
            }
        }
        throw new BootException(name + " at " + TakenRanges.range(address, end)
                + " is not in usable RAM of the firmware memory map");
    }

    @Override
    public long allocate(String name, long min, long maxStart, long size, long align, boolean high)
            throws BootException {
        long best = -1;
        for (long[] free : freeRanges()) {
            long lo = Math.max(free[0], min);
            long hiStart = Math.min(free[1] - size, maxStart);
            if (free[1] - free[0] < size || hiStart < lo) {
                continue;
            }
            long candidate = high ? Math.floorDiv(hiStart, align) * align : ceil(lo, align);
            if (candidate < lo || candidate > hiStart) {
                continue;
            }
            if (best < 0 || (high ? candidate > best : candidate < best)) {
                best = candidate;
            }
        }
        if (best < 0) {
            throw GuestAllocator.noRoom(name, size, align, min, maxStart, "usable RAM of the firmware memory map");
        }
        blocked.take(name, best, best + size);
        return best;
    }

    private static long ceil(long value, long align) {
        return Math.floorDiv(value + align - 1, align) * align;
    }

    /** Usable RAM below 4 GiB minus every blocked range, as sorted [start, end) pairs. */
    private List<long[]> freeRanges() {
        List<long[]> free = new ArrayList<>();
        for (MemoryRegion r : usable) {
            if (r.base() < FOUR_GIB) {
                free.add(new long[] {r.base(), Math.min(r.end(), FOUR_GIB)});
            }
        }
        for (TakenRanges.Taken b : blocked) {
            List<long[]> next = new ArrayList<>();
            for (long[] f : free) {
                if (b.end() <= f[0] || b.start() >= f[1]) {
                    next.add(f);
                    continue;
                }
                if (f[0] < b.start()) {
                    next.add(new long[] {f[0], b.start()});
                }
                if (b.end() < f[1]) {
                    next.add(new long[] {b.end(), f[1]});
                }
            }
            free = next;
        }
        return free;
    }
}
