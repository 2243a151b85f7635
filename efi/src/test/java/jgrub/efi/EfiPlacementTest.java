package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jgrub.boot.BootException;
import org.junit.jupiter.api.Test;

/** Loaders placing through the EFI memory map: whole pages, shown in use, nothing placed twice. */
class EfiPlacementTest {

    static final long LOADER_DATA = EfiMemoryType.LOADER_DATA.code();

    private static EfiMemoryMap map() {
        return EfiMemoryMap.fromFirmware(EfiMemoryMapTest.SEABIOS_2G);
    }

    @Test
    void allocate_takesWholePages_ofItsType_lowOrHigh() throws Exception {
        EfiMemoryMap map = map();
        EfiPlacement placement = new EfiPlacement(map, EfiMemoryType.LOADER_DATA);
        long low = placement.allocate("module", 0x100000, 0xffffffffL - 10, 10, 8, false);
        assertEquals(0x100000, low);
        assertTrue(map.isType(low, low + EfiMemoryMap.PAGE, LOADER_DATA), "the whole page is in use");
        assertEquals(0x101000, placement.allocate("info", 0x100000, 0xffffffffL - 10, 10, 8, false),
                "the next allocation starts on the next page");
        long high = placement.allocate("image", 0x100000, 0xffffffffL - 0x3000, 0x3000, 0x200000, true);
        assertEquals(0x7fe00000L, high, "the highest 2 MiB boundary that leaves room under the reserved top");
    }

    @Test
    void claim_mayShareAPageWithAnotherClaim_butNotAByte() throws Exception {
        EfiMemoryMap map = map();
        EfiPlacement placement = new EfiPlacement(map, EfiMemoryType.LOADER_DATA);
        placement.claim("k segment 0", 0x200000, 0x1800);
        placement.claim("k segment 1", 0x201800, 0x800);
        assertTrue(map.isType(0x200000, 0x202000, LOADER_DATA));
        BootException x = assertThrows(BootException.class, () -> placement.claim("k segment 2", 0x201f00, 0x200));
        assertEquals("k segment 2 at [0x201f00, 0x202100) overlaps k segment 1 [0x201800, 0x202000)", x.getMessage());
    }

    @Test
    void claim_overWhatTheEnvironmentTook_namesItsType() throws Exception {
        EfiMemoryMap map = map();
        map.allocatePages(EfiMemoryMap.AllocateType.ADDRESS, EfiMemoryType.BOOT_SERVICES_DATA.code(), 2, 0x300000);
        EfiPlacement placement = new EfiPlacement(map, EfiMemoryType.LOADER_DATA);
        BootException x = assertThrows(BootException.class, () -> placement.claim("k segment 0", 0x2ff000, 0x2000));
        assertEquals("k segment 0 at [0x2ff000, 0x301000) overlaps EFI BOOT_SERVICES_DATA memory [0x300000, 0x302000)",
                x.getMessage());
        assertTrue(map.isType(0x2ff000, 0x300000, EfiMemoryType.CONVENTIONAL.code()), "a refused claim takes nothing");
    }

    @Test
    void claim_outsideRam_andAllocate_withoutRoom_sayWhy() {
        EfiPlacement placement = new EfiPlacement(map(), EfiMemoryType.LOADER_DATA);
        assertEquals("k segment 0 at [0x90000000, 0x90001000) is not in usable RAM of the firmware memory map",
                assertThrows(BootException.class, () -> placement.claim("k segment 0", 0x90000000L, 0x1000))
                        .getMessage());
        assertEquals("no room for module 1 (big) (0x90000000 bytes, aligned 0x1000, starting in [0x100000, "
                + "0x6fffffff]) in free memory of the EFI memory map", assertThrows(BootException.class,
                        () -> placement.allocate("module 1 (big)", 0x100000, 0x6fffffffL, 0x90000000L, 0x1000, false))
                        .getMessage());
    }
}
