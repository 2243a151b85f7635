package jgrub.efi;

import jgrub.boot.BootException;
import jgrub.boot.GuestAllocator;
import jgrub.boot.TakenRanges;

/**
 * Placement in jgrub's EFI environment: what a loader places is allocated from the EFI memory map as memory of one
 * type (Multiboot kernels, modules and information: LOADER_DATA; a chainloaded image: LOADER_CODE), so the guest's
 * GetMemoryMap shows it in use and nothing the environment took, or takes later, can land on it. Page-granular, as
 * the EFI map is: an allocation takes whole pages, starting at least page-aligned. Fixed placements may share a page
 * (ELF segments that are not page-aligned) but not a byte.
 */
public final class EfiPlacement implements GuestAllocator {

    private final EfiMemoryMap map;
    private final EfiMemoryType type;
    private final TakenRanges taken = new TakenRanges();

    public EfiPlacement(EfiMemoryMap map, EfiMemoryType type) {
        this.map = map;
        this.type = type;
    }

    @Override
    public void claim(String name, long address, long size) throws BootException {
        if (size == 0) {
            return;
        }
        long end = address + size;
        taken.requireFree(name, address, end);
        for (long page = address & -EfiMemoryMap.PAGE; page < end; page += EfiMemoryMap.PAGE) {
            if (!ours(page) && !map.isType(page, page + EfiMemoryMap.PAGE, EfiMemoryType.CONVENTIONAL.code())) {
                throw new BootException(name + " at " + TakenRanges.range(address, end) + " " + inTheWay(page));
            }
        }
        try {
            map.claim(address, size, type);
        } catch (EfiException e) {
            throw new IllegalStateException("pages checked free were refused: " + e.getMessage(), e);
        }
        taken.take(name, address, end);
    }

    @Override
    public long allocate(String name, long min, long maxStart, long size, long align, boolean high)
            throws BootException {
        long pages = Math.max(1, (size + EfiMemoryMap.PAGE - 1) / EfiMemoryMap.PAGE);
        long start = map.findFree(pages, min, maxStart, Math.max(align, EfiMemoryMap.PAGE), high);
        if (start < 0) {
            throw GuestAllocator.noRoom(name, size, align, min, maxStart, "free memory of the EFI memory map");
        }
        try {
            map.allocatePages(EfiMemoryMap.AllocateType.ADDRESS, type.code(), pages, start);
        } catch (EfiException e) {
            throw new IllegalStateException("a free run the map found was refused: " + e.getMessage(), e);
        }
        taken.take(name, start, start + size);
        return start;
    }

    /** Whether {@code page} holds something this placement took (so it is already of its type). */
    private boolean ours(long page) {
        for (TakenRanges.Taken t : taken) {
            if (page < t.end() && (t.start() & -EfiMemoryMap.PAGE) <= page) {
                return true;
            }
        }
        return false;
    }

    /** What the EFI memory map has at {@code page} instead of free memory. */
    private String inTheWay(long page) {
        for (EfiMemoryMap.Descriptor d : map.descriptors()) {
            if (d.start() <= page && page < d.end()) {
                return "overlaps EFI " + EfiMemoryType.name(d.type()) + " memory "
                        + TakenRanges.range(d.start(), d.end());
            }
        }
        return "is not in usable RAM of the firmware memory map";
    }
}
