package jgrub.multiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import org.junit.jupiter.api.Test;

class GrubMemoryMapTest {

    @Test
    void seabiosMap_passesUnchanged() {
        assertEquals(FirmwareMaps.seabios2g(), GrubMemoryMap.normalize(FirmwareMaps.seabios2g()));
    }

    @Test
    void overlapsGoToTheStricterType_adjacentEqualTypesMerge_emptyEntriesVanish() {
        List<MemoryRegion> map = List.of(
                new MemoryRegion(0x100000, 0x100000, MemoryType.USABLE),
                new MemoryRegion(0x0, 0x100000, MemoryType.USABLE),
                new MemoryRegion(0x180000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x300000, 0, MemoryType.ACPI_NVS));
        assertEquals(List.of(
                new MemoryRegion(0x0, 0x180000, MemoryType.USABLE),
                new MemoryRegion(0x180000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x190000, 0x70000, MemoryType.USABLE)), GrubMemoryMap.normalize(map));
    }

    @Test
    void basicMemory_isLowRunCappedAt640KiB_andTheRunThroughOneMiB() {
        List<MemoryRegion> map = List.of(new MemoryRegion(0x0, 0x7ffe0000L, MemoryType.USABLE));
        assertEquals(640 * 1024, GrubMemoryMap.lower(map));
        assertEquals(0x7ffe0000L - 0x100000, GrubMemoryMap.upper(map));
        assertEquals(0x9fc00, GrubMemoryMap.lower(FirmwareMaps.seabios2g()));
    }
}
