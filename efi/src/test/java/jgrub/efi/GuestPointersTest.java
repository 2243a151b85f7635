package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GuestPointersTest {

    static final int MIB = 1 << 20;

    /** Page tables at 0x10000: the virtual 0xffff830000000000 (PML4 index 262) maps 2 MiB pages from 0x200000. */
    static GuestPointers xenLikeMapping(HeapMemory memory) throws EfiException {
        GuestPointers physical = new GuestPointers(memory, 0);
        long pml4 = 0x10000;
        long pdpt = 0x11000;
        long pd = 0x12000;
        long pt = 0x13000;
        physical.writeU64(pml4 + 262 * 8, pdpt | 3);
        physical.writeU64(pdpt, pd | 3);
        physical.writeU64(pd, 0x200000 | 0x83); // 2 MiB page -> 0x200000
        physical.writeU64(pd + 8, pt | 3); // 4 KiB pages for the next 2 MiB
        physical.writeU64(pt, 0x500000 | 3); // first one -> 0x500000
        physical.writeU64(pt + 8, 0x300000 | 3); // second one -> 0x300000 (not contiguous)
        return new GuestPointers(memory, pml4);
    }

    @Test
    void twoMegabytePage_translates() throws Exception {
        GuestPointers xen = xenLikeMapping(new HeapMemory(8 * MIB));
        assertEquals(0x200123, xen.translate(0xffff830000000123L));
    }

    @Test
    void access_acrossDiscontiguousPages_landsInBoth() throws Exception {
        HeapMemory memory = new HeapMemory(8 * MIB);
        GuestPointers xen = xenLikeMapping(memory);
        long virtual = 0xffff830000200000L + 4096 - 2;
        xen.write(virtual, new byte[] {1, 2, 3, 4});
        GuestPointers physical = new GuestPointers(memory, 0);
        assertArrayEquals(new byte[] {1, 2}, physical.read(0x500000 + 4094, 2));
        assertArrayEquals(new byte[] {3, 4}, physical.read(0x300000, 2));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, xen.read(virtual, 4));
    }

    @Test
    void unmappedAddress_isInvalidParameter() throws Exception {
        GuestPointers xen = xenLikeMapping(new HeapMemory(8 * MIB));
        EfiException e = assertThrows(EfiException.class, () -> xen.read(0xffff880000000000L, 8));
        assertEquals(EfiStatus.INVALID_PARAMETER, e.status());
    }

    @Test
    void pageTablePointingOutsideRam_isInvalidParameter_notAHostAccess() throws Exception {
        HeapMemory memory = new HeapMemory(8 * MIB);
        new GuestPointers(memory, 0).writeU64(0x10000, 0x7fff_ffff_f000L | 3);
        GuestPointers wild = new GuestPointers(memory, 0x10000);
        assertEquals(EfiStatus.INVALID_PARAMETER, assertThrows(EfiException.class, () -> wild.read(0x1000, 1))
                .status());
    }

    @Test
    void nullAndWrappingPointers_areInvalidParameter() {
        GuestPointers physical = new GuestPointers(new HeapMemory(MIB), 0);
        assertEquals(EfiStatus.INVALID_PARAMETER, assertThrows(EfiException.class, () -> physical.read(0, 4)).status());
        assertEquals(EfiStatus.INVALID_PARAMETER,
                assertThrows(EfiException.class, () -> physical.read(-2, 4)).status());
        assertEquals(EfiStatus.INVALID_PARAMETER,
                assertThrows(EfiException.class, () -> physical.read(MIB - 2, 4)).status());
    }

    @Test
    void ucs2String_needsItsTerminator() throws Exception {
        GuestPointers physical = new GuestPointers(new HeapMemory(MIB), 0);
        physical.writeUcs2(0x1000, "xen.cfg");
        assertEquals("xen.cfg", physical.readUcs2(0x1000, 64));
        assertEquals(EfiStatus.INVALID_PARAMETER,
                assertThrows(EfiException.class, () -> physical.readUcs2(0x1000, 3)).status());
    }
}
