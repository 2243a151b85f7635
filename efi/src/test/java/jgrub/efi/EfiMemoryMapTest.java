package jgrub.efi;

import static jgrub.efi.EfiMemoryMap.AllocateType.ADDRESS;
import static jgrub.efi.EfiMemoryMap.AllocateType.ANY_PAGES;
import static jgrub.efi.EfiMemoryMap.AllocateType.MAX_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EfiMemoryMapTest {

    /** The E820 map SeaBIOS reports for a 2 GiB QEMU pc guest. */
    static final List<MemoryRegion> SEABIOS_2G = List.of(
            new MemoryRegion(0x0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
            new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
            new MemoryRegion(0x100000, 0x7fee0000L, MemoryType.USABLE),
            new MemoryRegion(0x7ffe0000L, 0x20000, MemoryType.RESERVED),
            new MemoryRegion(0xfffc0000L, 0x40000, MemoryType.RESERVED));

    static final long LOADER_DATA = EfiMemoryType.LOADER_DATA.code();

    @Test
    void firmwareMap_becomesPageAlignedDescriptors() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        assertEquals(List.of(
                new EfiMemoryMap.Descriptor(0x0, 0x9f, 7, 0xF),
                new EfiMemoryMap.Descriptor(0x9f000, 1, 0, 0),
                new EfiMemoryMap.Descriptor(0xf0000, 0x10, 0, 0),
                new EfiMemoryMap.Descriptor(0x100000, 0x7fee0, 7, 0xF),
                new EfiMemoryMap.Descriptor(0x7ffe0000L, 0x20, 0, 0),
                new EfiMemoryMap.Descriptor(0xfffc0000L, 0x40, 0, 0)), map.descriptors());
    }

    @Test
    void anyPages_takesTheHighestFreeMemoryBelow4G() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        assertEquals(0x7ffe0000L - 0x3000, map.allocatePages(ANY_PAGES, LOADER_DATA, 3, 0));
    }

    @Test
    void maxAddress_belowOneMegabyte_findsLowMemory_asXensTrampolineAsks() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        long address = map.allocatePages(MAX_ADDRESS, LOADER_DATA, 16, 0xfffff);
        assertEquals(0x9f000 - 0x10000, address, "the top of conventional memory under the EBDA");
    }

    @Test
    void address_allocatesExactlyThere_onceOnly() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        assertEquals(0x200000, map.allocatePages(ADDRESS, LOADER_DATA, 512, 0x200000));
        EfiException again = assertThrows(EfiException.class,
                () -> map.allocatePages(ADDRESS, LOADER_DATA, 1, 0x3ff000));
        assertEquals(EfiStatus.NOT_FOUND, again.status());
    }

    @Test
    void address_unaligned_isInvalidParameter() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        EfiException e = assertThrows(EfiException.class, () -> map.allocatePages(ADDRESS, LOADER_DATA, 1, 0x200010));
        assertEquals(EfiStatus.INVALID_PARAMETER, e.status());
    }

    @Test
    void address_overReservedMemory_isNotFound() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        EfiException e = assertThrows(EfiException.class, () -> map.allocatePages(ADDRESS, LOADER_DATA, 2, 0x9e000));
        assertEquals(EfiStatus.NOT_FOUND, e.status());
    }

    @Test
    void tooManyPages_isOutOfResources() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        EfiException e = assertThrows(EfiException.class,
                () -> map.allocatePages(ANY_PAGES, LOADER_DATA, 0x80000, 0));
        assertEquals(EfiStatus.OUT_OF_RESOURCES, e.status());
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 14, 15, 0x6fffffffL, 0x100000000L, -1})
    void unallocatableMemoryType_isInvalidParameter(long type) {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        EfiException e = assertThrows(EfiException.class, () -> map.allocatePages(ANY_PAGES, type, 1, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, e.status());
    }

    @Test
    void oemMemoryType_canBeAllocated() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        long address = map.allocatePages(ANY_PAGES, 0x80000001L, 1, 0);
        assertTrue(map.descriptors().stream().anyMatch(d -> d.start() == address && d.type() == 0x80000001L));
    }

    @Test
    void mapKey_changesWithEveryChange_andOnlyThen() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        long key = map.mapKey();
        long address = map.allocatePages(ANY_PAGES, LOADER_DATA, 1, 0);
        long afterAllocate = map.mapKey();
        assertNotEquals(key, afterAllocate);
        assertThrows(EfiException.class, () -> map.allocatePages(ADDRESS, LOADER_DATA, 1, address));
        assertEquals(afterAllocate, map.mapKey(), "a failed call changes nothing");
        map.freePages(address, 1);
        assertNotEquals(afterAllocate, map.mapKey());
    }

    @Test
    void allocateThenFree_restoresTheOriginalMap() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        List<EfiMemoryMap.Descriptor> before = map.descriptors();
        long a = map.allocatePages(ANY_PAGES, LOADER_DATA, 5, 0);
        long b = map.allocatePages(ADDRESS, EfiMemoryType.BOOT_SERVICES_DATA.code(), 3, 0x300000);
        assertEquals(before.size() + 3, map.descriptors().size(), "one split at the top, two around 0x300000");
        map.freePages(b, 3);
        map.freePages(a, 5);
        assertEquals(before, map.descriptors());
    }

    @Test
    void freeingWhatWasNotAllocated_isNotFound() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        map.reserve(0x1000, 0x2000, EfiMemoryType.BOOT_SERVICES_CODE);
        assertEquals(EfiStatus.NOT_FOUND,
                assertThrows(EfiException.class, () -> map.freePages(0x1000, 1)).status(), "jgrub's own pages");
        assertEquals(EfiStatus.NOT_FOUND,
                assertThrows(EfiException.class, () -> map.freePages(0x500000, 1)).status(), "free memory");
        assertEquals(EfiStatus.NOT_FOUND,
                assertThrows(EfiException.class, () -> map.freePages(0xf0000, 1)).status(), "firmware memory");
        assertEquals(EfiStatus.INVALID_PARAMETER,
                assertThrows(EfiException.class, () -> map.freePages(0x500001, 1)).status(), "unaligned");
    }

    @Test
    void pool_isFreedOnce() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        long pool = map.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), 10_000);
        assertEquals(0, pool % 8, "pool memory is 8-byte aligned");
        map.freePool(pool);
        assertEquals(EfiStatus.INVALID_PARAMETER, assertThrows(EfiException.class, () -> map.freePool(pool)).status());
    }

    @Test
    void runtimeMemory_carriesTheRuntimeAttribute() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        map.reserve(0x8000, 0x1000, EfiMemoryType.RUNTIME_SERVICES_CODE);
        EfiMemoryMap.Descriptor d = map.descriptors().stream().filter(x -> x.start() == 0x8000).findFirst()
                .orElseThrow();
        assertEquals(0x800000000000000FL, d.attribute());
    }

    @Test
    void descriptors_areWrittenInTheSpecificationsLayout() throws Exception {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        ByteBuffer out = ByteBuffer.allocate(map.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        map.writeDescriptors(out);
        assertEquals(6 * 48, out.position());
        assertEquals(7, out.getInt(3 * 48));
        assertEquals(0x100000, out.getLong(3 * 48 + 8));
        assertEquals(0x7fee0, out.getLong(3 * 48 + 24));
        assertEquals(0xF, out.getLong(3 * 48 + 32));
    }

    @Test
    void findFree_high_isTheHighestAlignedFitBelowTheLimit_asXenEfiNeeds() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        assertEquals(0x7fe00000L - 0x1000000L, map.findFree(0x1000, 0, (1L << 32) - 0x1000000L, 0x200000, true),
                "16 MiB, 2 MiB aligned, under the reserved top");
        assertEquals(-1, map.findFree(0x100, 0, 0x100000 - 0x100000, 0x200000, true));
    }

    @Test
    void findFree_low_isTheLowestAlignedFitFromTheMinimum_andNeverPageZero() {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(SEABIOS_2G);
        assertEquals(0x100000, map.findFree(4, 0x9f000, 0xffffffffL, 0x1000, false), "past the EBDA and the BIOS");
        assertEquals(0x1000, map.findFree(1, 0, 0x10000, 0x1000, false));
        assertEquals(-1, map.findFree(1, 0, 0, 0x1000, false), "page 0 is never free");
    }
}
