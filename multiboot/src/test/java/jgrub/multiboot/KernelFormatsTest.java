package jgrub.multiboot;

import static jgrub.multiboot.TestImages.mb2;
import static jgrub.multiboot.TestImages.tag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.multiboot.TestImages.Seg;
import jgrub.multiboot.mb2.Multiboot2;
import org.junit.jupiter.api.Test;

/** ELF64 kernels, compressed kernels and modules, --nounzip, a.out-kludge and relocatable placements. */
class KernelFormatsTest {

    @Test
    void elf64Kernel_xzCompressed_loadsEachSegmentAtPaddrWithBss() throws Exception {
        TestImages.Elf e = new TestImages.Elf();
        e.elf64 = true;
        e.header = mb2();
        e.segments = List.of(new Seg(0x200000, 0x300, 0x1000), new Seg(0x300000, 0x40, 0x40));
        e.entry = 0x300010;
        byte[] elf = e.build();
        Multiboot2 mb = Multiboot2.load("k.xz", TestImages.xz(elf), List.of(), Platform.PC);
        BootPlan plan = mb.plan(FirmwareMaps.seabios());
        Segment first = plan.segments().get(0);
        assertEquals(0x200000, first.address());
        assertEquals(0x300, first.contents().size());
        assertEquals(0x1000, first.memorySize());
        assertArrayEquals(java.util.Arrays.copyOfRange(elf, TestImages.HEADER_OFFSET, TestImages.HEADER_OFFSET + 0x300),
                TestImages.bytes(first));
        assertEquals(0x300000, plan.segments().get(1).address());
        assertEquals(0x300010, ((EntryState.Protected32) plan.entry()).eip());
    }

    @Test
    void modules_areUnpackedUnlessNounzip() throws Exception {
        byte[] data = "module data".getBytes();
        byte[] packed = TestImages.gzip(data);
        Module unpacked = Module.of("m.gz", packed, false, List.of("a"));
        Module kept = Module.of("m.gz", packed, true, List.of());
        assertEquals(data.length, unpacked.contents().size());
        assertEquals(packed.length, kept.contents().size());
        assertArrayEquals(packed, ((Slice) kept.contents()).toArray());
    }

    @Test
    void aoutKludgeWithRelocatableTag_isMovedAsAWhole_entryFollows() throws BootException {
        // Header at file offset 0x100 claims address 0x100100: the file loads at 0x100000, 0x2000 bytes of BSS after.
        TestImages.Elf e = new TestImages.Elf();
        e.header = mb2(tag(2, 0, 0x100100, 0x100000, 0, 0x104000), tag(3, 0, 0x100180),
                tag(10, 0, 0x1000000, 0x2000000, 0x100000, 1));
        Multiboot2 mb = Multiboot2.load("k", e.build(), List.of(), Platform.PC);
        BootPlan plan = mb.plan(FirmwareMaps.seabios());
        Segment image = plan.segments().get(0);
        assertEquals(0x1000000, image.address()); // lowest aligned address of the range (preference low)
        assertEquals(0x4000, image.memorySize());
        assertEquals(0x1000180, ((EntryState.Protected32) plan.entry()).eip());
    }

    @Test
    void relocatableElf_preferenceHigh_takesTheHighestAlignedStartBelowMax() throws BootException {
        TestImages.Elf e = new TestImages.Elf();
        e.header = mb2(tag(10, 0, 0x200000, 0x10000000, 0x200000, 2));
        e.entry = 0x100100;
        Multiboot2 mb = Multiboot2.load("k", e.build(), List.of(), Platform.PC);
        BootPlan plan = mb.plan(FirmwareMaps.seabios());
        assertEquals(0x0fe00000, plan.segments().get(0).address());
        EntryState.Protected32 entry = assertInstanceOf(EntryState.Protected32.class, plan.entry());
        assertEquals(0x0fe00100, entry.eip());
    }
}
