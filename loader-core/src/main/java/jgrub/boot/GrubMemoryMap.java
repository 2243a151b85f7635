package jgrub.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The memory map as GRUB passes it on ({@code grub_mmap_iterate} in {@code grub-core/mmap/mmap.c}): the firmware's
 * E820 entries sorted, overlaps resolved in favour of the more restrictive type, adjacent entries of one type merged,
 * empty ones dropped. For SeaBIOS's map, which is sorted and disjoint, that is the map itself. Also the two numbers
 * of the basic memory information, computed as {@code grub_mmap_get_lower}/{@code grub_mmap_get_upper} do.
 */
public final class GrubMemoryMap {

    /** Multiboot's "lower memory" is usable RAM from 0, at most 640 KiB (GRUB_ARCH_LOWMEMMAXSIZE). */
    private static final long LOW_MEMORY_MAX = 640 * 1024;
    /** Multiboot's "upper memory" is the usable RAM run that covers 1 MiB (GRUB_ARCH_HIGHMEMPSTARTADDR). */
    private static final long HIGH_MEMORY_START = 0x100000;

    private GrubMemoryMap() {
    }

    public static List<MemoryRegion> normalize(List<MemoryRegion> firmwareMap) {
        TreeSet<Long> bounds = new TreeSet<>();
        for (MemoryRegion r : firmwareMap) {
            if (r.length() > 0) {
                bounds.add(r.base());
                bounds.add(r.end());
            }
        }
        List<MemoryRegion> out = new ArrayList<>();
        Long previous = null;
        for (long point : bounds) {
            if (previous != null) {
                MemoryType type = typeAt(firmwareMap, previous);
                if (type != null) {
                    MemoryRegion last = out.isEmpty() ? null : out.get(out.size() - 1);
                    if (last != null && last.type() == type && last.end() == previous) {
                        out.set(out.size() - 1, new MemoryRegion(last.base(), point - last.base(), type));
                    } else {
                        out.add(new MemoryRegion(previous, point - previous, type));
                    }
                }
            }
            previous = point;
        }
        return out;
    }

    /** The most restrictive type covering {@code address}, or null when no entry covers it. */
    private static MemoryType typeAt(List<MemoryRegion> map, long address) {
        MemoryType best = null;
        for (MemoryRegion r : map) {
            if (r.length() > 0 && r.base() <= address && address < r.end()
                    && (best == null || priority(r.type()) > priority(best))) {
                best = r.type();
            }
        }
        return best;
    }

    private static int priority(MemoryType type) {
        return switch (type) {
            case USABLE -> 1;
            case ACPI_RECLAIMABLE -> 2;
            case ACPI_NVS -> 3;
            case RESERVED -> 4;
            case BAD -> 5;
        };
    }

    /** Bytes of usable RAM from address 0 (mem_lower, before conversion to KiB). */
    public static long lower(List<MemoryRegion> normalized) {
        long lower = 0;
        for (MemoryRegion r : normalized) {
            if (r.type() == MemoryType.USABLE && r.base() == 0) {
                lower = r.end();
            }
        }
        return Math.min(lower, LOW_MEMORY_MAX);
    }

    /** Bytes of usable RAM from 1 MiB up to the first hole (mem_upper, before conversion to KiB). */
    public static long upper(List<MemoryRegion> normalized) {
        long upper = 0;
        for (MemoryRegion r : normalized) {
            if (r.type() == MemoryType.USABLE && r.base() <= HIGH_MEMORY_START && r.end() > HIGH_MEMORY_START) {
                upper = r.end() - HIGH_MEMORY_START;
            }
        }
        return upper;
    }
}
