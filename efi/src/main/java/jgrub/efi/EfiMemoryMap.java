package jgrub.efi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/**
 * The UEFI memory map and page allocator behind AllocatePages, FreePages and GetMemoryMap (UEFI 2.10 section 7.2).
 * It starts from the firmware's E820 map, then records jgrub's own regions and every allocation the guest makes. The
 * map key changes with every change, so ExitBootServices can tell a stale map (section 7.4).
 */
public final class EfiMemoryMap {

    public static final long PAGE = 4096;
    /** Bytes per descriptor in GetMemoryMap's output: the 40-byte EFI_MEMORY_DESCRIPTOR padded to 48, as EDK2 does. */
    public static final int DESCRIPTOR_SIZE = 48;
    public static final int DESCRIPTOR_VERSION = 1;

    /** EFI_MEMORY_UC | WC | WT | WB: what ordinary RAM supports. */
    static final long ATTRIBUTES_RAM = 0xF;
    static final long ATTRIBUTE_RUNTIME = 0x8000000000000000L;
    static final long FOUR_GIB = 1L << 32;

    /** EFI_ALLOCATE_TYPE */
    public enum AllocateType { ANY_PAGES, MAX_ADDRESS, ADDRESS }

    /** One descriptor: {@code pages} pages from {@code start}, of memory type {@code type}. */
    public record Descriptor(long start, long pages, long type, long attribute) {
        public long end() {
            return start + pages * PAGE;
        }
    }

    /** A run of pages of one type; {@code allocated} marks what AllocatePages handed out (and FreePages may free). */
    private record Block(long start, long pages, long type, long attribute, boolean allocated) {
        long end() {
            return start + pages * PAGE;
        }

        boolean mergesWith(Block next) {
            return end() == next.start && type == next.type && attribute == next.attribute
                    && allocated == next.allocated;
        }
    }

    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private final Map<Long, Long> pools = new TreeMap<>();
    private long mapKey = 1;

    private EfiMemoryMap() {
    }

    /**
     * The map as firmware hands it over: usable E820 ranges become conventional memory (rounded inward to pages),
     * every other range keeps its kind (rounded outward), and where they overlap the non-usable kind wins.
     */
    public static EfiMemoryMap fromFirmware(List<MemoryRegion> e820) {
        EfiMemoryMap map = new EfiMemoryMap();
        for (MemoryRegion region : e820) {
            if (region.type() == MemoryType.USABLE) {
                long start = alignUp(region.base());
                long end = region.end() & -PAGE;
                if (end > start) {
                    map.set(start, end, EfiMemoryType.CONVENTIONAL.code(), false);
                }
            }
        }
        for (MemoryRegion region : e820) {
            if (region.type() != MemoryType.USABLE && region.length() > 0) {
                long end = Math.min(alignUp(region.end()), Long.MAX_VALUE & -PAGE);
                map.set(region.base() & -PAGE, end, efiType(region.type()).code(), false);
            }
        }
        return map;
    }

    private static EfiMemoryType efiType(MemoryType type) {
        return switch (type) {
            case USABLE -> EfiMemoryType.CONVENTIONAL;
            case ACPI_RECLAIMABLE -> EfiMemoryType.ACPI_RECLAIM;
            case ACPI_NVS -> EfiMemoryType.ACPI_NVS;
            case BAD -> EfiMemoryType.UNUSABLE;
            case RESERVED -> EfiMemoryType.RESERVED;
        };
    }

    /**
     * Marks a region jgrub itself occupies (service stubs, tables, page tables, the stack) with the memory type that
     * tells the guest how long it must be kept. The region must be conventional memory.
     */
    public void reserve(long start, long length, EfiMemoryType type) throws EfiException {
        long end = alignUp(start + length);
        start &= -PAGE;
        requireType(start, end, EfiMemoryType.CONVENTIONAL.code(), "reserve");
        set(start, end, type.code(), false);
    }

    /** AllocatePages: returns the physical address of {@code pages} newly allocated pages. */
    public long allocatePages(AllocateType how, long memoryType, long pages, long address) throws EfiException {
        if (!allocatable(memoryType)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "memory type " + EfiMemoryType.name(memoryType)
                    + " cannot be allocated");
        }
        if (pages <= 0 || pages > (Long.MAX_VALUE / PAGE)) {
            throw new EfiException(pages == 0 ? EfiStatus.INVALID_PARAMETER : EfiStatus.OUT_OF_RESOURCES,
                    "page count " + pages);
        }
        long size = pages * PAGE;
        long start;
        switch (how) {
            case ADDRESS -> {
                if (address % PAGE != 0) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "address 0x" + Long.toHexString(address)
                            + " is not page aligned");
                }
                if (address > Long.MAX_VALUE - size || !isType(address, address + size,
                        EfiMemoryType.CONVENTIONAL.code())) {
                    throw new EfiException(EfiStatus.NOT_FOUND, "0x" + Long.toHexString(size) + " bytes at 0x"
                            + Long.toHexString(address) + " are not free memory");
                }
                start = address;
            }
            case MAX_ADDRESS -> start = highestFit(size, address == -1 ? Long.MAX_VALUE : address + 1);
            case ANY_PAGES -> {
                // Below 4 GiB first, as firmware does, so 32-bit-minded images get addresses they can hold.
                long below4g = highestFit(size, FOUR_GIB);
                start = below4g >= 0 ? below4g : highestFit(size, Long.MAX_VALUE);
            }
            default -> throw new IllegalStateException(how.toString());
        }
        if (start < 0) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, "no free run of " + pages + " pages"
                    + (how == AllocateType.MAX_ADDRESS ? " ending at or below 0x" + Long.toHexString(address) : ""));
        }
        set(start, start + size, memoryType, true);
        return start;
    }

    /**
     * The start of the lowest or (when {@code high}) highest free run of {@code pages} pages that starts at a multiple
     * of {@code alignment} (a power of two, at least a page) in {@code [min, maxStart]}; -1 if there is none. Page 0
     * is never free, so that a NULL pointer is never a valid allocation.
     */
    public long findFree(long pages, long min, long maxStart, long alignment, boolean high) {
        if (pages <= 0 || pages > Long.MAX_VALUE / PAGE) {
            return -1;
        }
        long size = pages * PAGE;
        for (Block b : high ? blocks.descendingMap().values() : blocks.values()) {
            if (b.type != EfiMemoryType.CONVENTIONAL.code()) {
                continue;
            }
            long lowest = Math.max(Math.max(b.start, min), PAGE);
            long highest = Math.min(b.end() - size, maxStart);
            if (highest < lowest) {
                continue;
            }
            long start = high ? highest & -alignment : (lowest + alignment - 1) & -alignment;
            if (start >= lowest && start <= highest) {
                return start;
            }
        }
        return -1;
    }

    /**
     * Marks what a loader placed at an address of its own choosing (a Multiboot kernel's fixed segments on the EFI
     * path) as allocated memory of {@code type}, so the guest's GetMemoryMap shows it in use. Pages already of that
     * type stay (two segments may share a page); free ones are claimed; anything else there is an error.
     */
    public void claim(long start, long length, EfiMemoryType type) throws EfiException {
        long end = alignUp(start + length);
        for (long page = start & -PAGE; page < end; page += PAGE) {
            if (isType(page, page + PAGE, type.code())) {
                continue;
            }
            if (!isType(page, page + PAGE, EfiMemoryType.CONVENTIONAL.code())) {
                throw new EfiException(EfiStatus.NOT_FOUND, "page 0x" + Long.toHexString(page)
                        + " is neither free nor " + type);
            }
            set(page, page + PAGE, type.code(), true);
        }
    }

    /** FreePages: the pages must all have come from AllocatePages. */
    public void freePages(long address, long pages) throws EfiException {
        if (address % PAGE != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "address 0x" + Long.toHexString(address)
                    + " is not page aligned");
        }
        if (pages <= 0 || pages > (Long.MAX_VALUE - address) / PAGE || !isAllocated(address, address + pages * PAGE)) {
            throw new EfiException(EfiStatus.NOT_FOUND, pages + " pages at 0x" + Long.toHexString(address)
                    + " were not allocated");
        }
        set(address, address + pages * PAGE, EfiMemoryType.CONVENTIONAL.code(), false);
    }

    /** AllocatePool: pages of the given type; the pool's size is kept here, not in guest memory the guest could overwrite. */
    public long allocatePool(long memoryType, long size) throws EfiException {
        if (size < 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "pool size " + size);
        }
        long pages = Math.max(1, (size + PAGE - 1) / PAGE);
        long address = allocatePages(AllocateType.ANY_PAGES, memoryType, pages, 0);
        pools.put(address, pages);
        return address;
    }

    public void freePool(long address) throws EfiException {
        Long pages = pools.get(address);
        if (pages == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(address)
                    + " is not a pool allocation");
        }
        freePages(address, pages);
        pools.remove(address);
    }

    /** The map as GetMemoryMap returns it, lowest address first. */
    public List<Descriptor> descriptors() {
        List<Descriptor> out = new ArrayList<>(blocks.size());
        for (Block b : blocks.values()) {
            out.add(new Descriptor(b.start, b.pages, b.type, b.attribute));
        }
        return out;
    }

    /** Writes the descriptors in the EFI_MEMORY_DESCRIPTOR layout (UEFI 2.10 section 7.2, GetMemoryMap). */
    public void writeDescriptors(ByteBuffer target) {
        for (Descriptor d : descriptors()) {
            int at = target.position();
            target.putInt(at, (int) d.type()); // Type: UINT32, then 4 bytes of padding
            target.putInt(at + 4, 0);
            target.putLong(at + 8, d.start()); // PhysicalStart
            target.putLong(at + 16, 0); // VirtualStart: set only by SetVirtualAddressMap
            target.putLong(at + 24, d.pages()); // NumberOfPages
            target.putLong(at + 32, d.attribute()); // Attribute
            target.putLong(at + 40, 0); // padding up to DESCRIPTOR_SIZE
            target.position(at + DESCRIPTOR_SIZE);
        }
    }

    public int byteSize() {
        return blocks.size() * DESCRIPTOR_SIZE;
    }

    public long mapKey() {
        return mapKey;
    }

    /** Whether {@code [start, end)} lies wholly in memory of the given types; for checking guest pointers. */
    public boolean isType(long start, long end, long type) {
        return covers(start, end, b -> b.type == type);
    }

    private boolean isAllocated(long start, long end) {
        return covers(start, end, Block::allocated);
    }

    private boolean covers(long start, long end, java.util.function.Predicate<Block> test) {
        if (end <= start) {
            return false;
        }
        long at = start;
        Map.Entry<Long, Block> entry = blocks.floorEntry(start);
        while (at < end) {
            if (entry == null || entry.getValue().end() <= at || entry.getValue().start > at
                    || !test.test(entry.getValue())) {
                return false;
            }
            at = entry.getValue().end();
            entry = blocks.ceilingEntry(at);
        }
        return true;
    }

    private void requireType(long start, long end, long type, String what) throws EfiException {
        if (!isType(start, end, type)) {
            throw new EfiException(EfiStatus.NOT_FOUND, what + ": [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ") is not all " + EfiMemoryType.name(type));
        }
    }

    /** The highest page-aligned start of {@code size} free bytes that end at or below {@code limit}; -1 if none. */
    private long highestFit(long size, long limit) {
        if (limit <= 0) {
            return -1; // MaxAddress 0x7fff_ffff_ffff_ffff wraps to a negative limit and has always found nothing
        }
        return findFree(size / PAGE, 0, (limit & -PAGE) - size, PAGE, true);
    }

    private static boolean allocatable(long type) {
        if (type >= EfiMemoryType.OEM_FIRST && type <= 0xFFFFFFFFL) {
            return true;
        }
        return type >= 0 && type < EfiMemoryType.values().length && type != EfiMemoryType.CONVENTIONAL.code()
                && type != EfiMemoryType.PERSISTENT.code() && type != EfiMemoryType.UNUSABLE.code();
    }

    private static long attribute(long type) {
        if (type == EfiMemoryType.RESERVED.code() || type == EfiMemoryType.MEMORY_MAPPED_IO.code()
                || type == EfiMemoryType.MEMORY_MAPPED_IO_PORT_SPACE.code()) {
            return 0;
        }
        boolean runtime = type == EfiMemoryType.RUNTIME_SERVICES_CODE.code()
                || type == EfiMemoryType.RUNTIME_SERVICES_DATA.code() || type == EfiMemoryType.ACPI_NVS.code();
        return ATTRIBUTES_RAM | (runtime ? ATTRIBUTE_RUNTIME : 0);
    }

    /** Makes {@code [start, end)} one block of the given type, splitting and merging neighbours, and bumps the key. */
    private void set(long start, long end, long type, boolean allocated) {
        split(start);
        split(end);
        blocks.subMap(start, true, end, false).clear();
        blocks.put(start, new Block(start, (end - start) / PAGE, type, attribute(type), allocated));
        merge(start);
        mapKey++;
    }

    private void split(long at) {
        Map.Entry<Long, Block> entry = blocks.lowerEntry(at);
        if (entry != null && entry.getValue().end() > at) {
            Block b = entry.getValue();
            long leftPages = (at - b.start) / PAGE;
            blocks.put(b.start, new Block(b.start, leftPages, b.type, b.attribute, b.allocated));
            blocks.put(at, new Block(at, b.pages - leftPages, b.type, b.attribute, b.allocated));
        }
    }

    private void merge(long start) {
        Block b = blocks.get(start);
        Map.Entry<Long, Block> previous = blocks.lowerEntry(start);
        if (previous != null && previous.getValue().mergesWith(b)) {
            blocks.remove(start);
            Block p = previous.getValue();
            b = new Block(p.start, p.pages + b.pages, b.type, b.attribute, b.allocated);
            blocks.put(p.start, b);
        }
        Map.Entry<Long, Block> next = blocks.higherEntry(b.start);
        if (next != null && b.mergesWith(next.getValue())) {
            blocks.remove(next.getKey());
            blocks.put(b.start, new Block(b.start, b.pages + next.getValue().pages, b.type, b.attribute,
                    b.allocated));
        }
    }

    private static long alignUp(long value) {
        return (value + PAGE - 1) & -PAGE;
    }
}
