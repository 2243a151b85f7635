package jgrub.multiboot.mb1;

import static jgrub.multiboot.TestImages.mb1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.Segment;
import jgrub.multiboot.FirmwareMaps;
import jgrub.multiboot.Module;
import jgrub.multiboot.Slice;
import jgrub.multiboot.TestImages;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Multiboot1Test {

    /** Guest memory as a kernel sees it: every segment of the plan written at its address. */
    static final class Memory {
        final ByteBuffer ram = ByteBuffer.allocate(1 << 27).order(ByteOrder.LITTLE_ENDIAN);

        Memory(BootPlan plan, long skipAbove) throws IOException {
            for (Segment s : plan.segments()) {
                if (s.address() < skipAbove) {
                    s.contents().writeTo(ram.position((int) s.address()));
                }
            }
        }

        long u32(long at) {
            return Integer.toUnsignedLong(ram.getInt((int) at));
        }

        long u64(long at) {
            return ram.getLong((int) at);
        }

        String string(long at) {
            int end = (int) at;
            while (ram.get(end) != 0) {
                end++;
            }
            byte[] b = new byte[end - (int) at];
            ram.get((int) at, b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Test
    void xen_loadsAtItsLinkAddress_andTheInfoStructureReadsBack() throws Exception {
        byte[] xen = Files.readAllBytes(Prerequisites.payload("xen.gz"));
        Multiboot1 mb = Multiboot1.load("/boot/xen.gz", xen, List.of("placeholder", "console=com1"),
                List.of(new Module("/boot/vmlinuz", Slice.of(new byte[0x3000]), List.of("placeholder", "quiet")),
                        new Module("/boot/initrd.img", Slice.of(new byte[0x1001]), List.of())));
        assertEquals(0x3, mb.header().flags());
        Firmware firmware = FirmwareMaps.seabios();
        BootPlan plan = mb.plan(firmware);
        assertEquals(0x200000, plan.segments().get(0).address());
        EntryState.Protected32 entry = assertInstanceOf(EntryState.Protected32.class, plan.entry());
        assertEquals(0x2BADB002, entry.eax());
        assertEquals(0x200000, entry.eip());
        long mbi = Integer.toUnsignedLong(entry.ebx());
        assertTrue(mbi >= 0x10000 && mbi < 0xa0000 && mbi % 4 == 0, Long.toHexString(mbi));

        Memory m = new Memory(plan, 1 << 27);
        long flags = m.u32(mbi);
        assertEquals(0x1 | 0x4 | 0x8 | 0x20 | 0x40 | 0x200 | 0x1000, flags);
        assertEquals(0x9fc00 / 1024, m.u32(mbi + 4));
        assertEquals((0x7ffe0000L - 0x100000) / 1024, m.u32(mbi + 8));
        assertEquals("placeholder console=com1", m.string(m.u32(mbi + 16)));
        assertTrue(m.string(m.u32(mbi + 64)).contains("(GRUB 2 compatible)"));
        assertEquals(2, m.u32(mbi + 20));
        long mods = m.u32(mbi + 24);
        long start = m.u32(mods);
        assertEquals(0, start % 4096);
        assertEquals(start + 0x3000, m.u32(mods + 4));
        assertEquals("placeholder quiet", m.string(m.u32(mods + 8)));
        assertEquals(0x1001, m.u32(mods + 20) - m.u32(mods + 16));
        assertEquals("", m.string(m.u32(mods + 24)));

        assertEquals(4, m.u32(mbi + 28));
        assertEquals(40, m.u32(mbi + 32));
        assertEquals(2, m.u32(mbi + 40));

        List<MemoryRegion> map = firmware.memoryMap();
        assertEquals(24L * map.size(), m.u32(mbi + 44));
        long at = m.u32(mbi + 48);
        for (MemoryRegion r : map) {
            assertEquals(20, m.u32(at));
            assertEquals(r.base(), m.u64(at + 4));
            assertEquals(r.length(), m.u64(at + 12));
            assertEquals(r.type().e820(), m.u32(at + 20));
            at += 4 + m.u32(at);
        }
        assertEquals(0xb8000, m.u64(mbi + 88));
        assertEquals(2, m.ram.get((int) mbi + 109));
    }

    @Test
    void aoutKludge_loadsFromTheHeaderAddresses_andZeroesBss() throws Exception {
        // Header at file offset 0x40 says: the file from offset 0 goes to 0x100000, ends at 0x100200, BSS to 0x101000.
        byte[] image = new byte[0x300];
        byte[] h = mb1(0x10003, 0x100040, 0x100000, 0x100200, 0x101000, 0x100080);
        System.arraycopy(h, 0, image, 0x40, h.length);
        image[0x1ff] = 0x55;
        Multiboot1 mb = Multiboot1.load("k", image, List.of(), List.of());
        BootPlan plan = mb.plan(FirmwareMaps.seabios());
        Segment s = plan.segments().get(0);
        assertEquals(0x100000, s.address());
        assertEquals(0x200, s.contents().size());
        assertEquals(0x1000, s.memorySize());
        assertEquals(0x100080, ((EntryState.Protected32) plan.entry()).eip());
        Memory m = new Memory(plan, 1 << 27);
        assertEquals(0x55, m.ram.get(0x1001ff));
        assertArrayEquals(h, java.util.Arrays.copyOfRange(m.ram.array(), 0x100040, 0x100040 + h.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad checksum", (Supplier<byte[]>) () -> {
                    byte[] h = mb1(0x3);
                    TestImages.putInt(h, 8, 0);
                    return image(h);
                }, "k: Multiboot header: checksum 0x0 at offset 0x108 does not make magic + flags + checksum zero"
                        + " (sum 0x1badb005) (corrupt)"),
                Arguments.of("unsupported required flag", (Supplier<byte[]>) () -> image(mb1(0x8)),
                        "k: Multiboot header: flags 0x8 at offset 0x104 has required bits 0x8 that GRUB does not"
                                + " know: unsupported flag (unsupported)"),
                Arguments.of("unknown video mode type", (Supplier<byte[]>) () -> image(mb1(0x4, 0, 0, 0, 0, 0, 2, 0,
                        0, 0)), "k: Multiboot header: mode_type 0x2 at offset 0x120 is neither 0 (linear graphics)"
                                + " nor 1 (EGA text): unsupported graphical mode type (unsupported)"),
                Arguments.of("a.out kludge before the file", (Supplier<byte[]>) () -> image(mb1(0x10000, 0x100000,
                        0x0f0000, 0, 0, 0x100000)), "k: Multiboot header: load_addr 0xf0000 at offset 0x110 would"
                                + " start loading 0xff00 bytes before the start of the file (corrupt)"),
                Arguments.of("a.out kludge fields cut off", (Supplier<byte[]>) () -> {
                    byte[] f = new byte[0x20];
                    System.arraycopy(mb1(0x10000), 0, f, 0x10, 12);
                    return f;
                }, "k: Multiboot header load_addr at offset 0x20 (0x4 bytes) is past the end of the file (0x20"
                        + " bytes): truncated (corrupt)"),
                Arguments.of("no header in the first 8 KiB", (Supplier<byte[]>) () -> {
                    byte[] f = new byte[0x3000];
                    System.arraycopy(mb1(0x3), 0, f, 0x2000, 12);
                    return f;
                }, "k: no Multiboot header (magic 0x1badb002 at a 4-byte boundary) in the first 8 KiB"));
    }

    static byte[] image(byte[] header) {
        TestImages.Elf e = new TestImages.Elf();
        e.header = header;
        return e.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedImage_isRefusedWithItsMessage(String name, Supplier<byte[]> image, String message) {
        BootException e = assertThrows(BootException.class, () -> Multiboot1.load("k", image.get(), List.of(),
                List.of()));
        assertEquals(message, e.getMessage());
    }

    @Test
    void quirkModulesAfterKernel_putsModulesOneMiBPastTheImage() throws BootException {
        TestImages.Elf e = new TestImages.Elf();
        e.header = mb1(0x3);
        e.segments = List.of(new TestImages.Seg(0x100000, 0x1000, 0x234567));
        Multiboot1 mb = Multiboot1.load("k", e.build(), List.of(), java.util.Set.of(Multiboot1.Quirk.MODULES_AFTER_KERNEL))
                .withModule(new Module("m", Slice.of(new byte[10]), List.of()));
        BootPlan plan = mb.plan(FirmwareMaps.seabios());
        Segment module = plan.segments().stream().filter(s -> s.name().startsWith("module 1")).findFirst()
                .orElseThrow();
        assertEquals(0x435000, module.address()); // align_up(0x334567 + 1 MiB, 4 KiB)
        Multiboot1 plain = Multiboot1.load("k", e.build(), List.of(), java.util.Set.of())
                .withModule(new Module("m", Slice.of(new byte[10]), List.of()));
        Segment low = plain.plan(FirmwareMaps.seabios()).segments().stream()
                .filter(s -> s.name().startsWith("module 1")).findFirst().orElseThrow();
        assertTrue(low.address() < 0x435000, Long.toHexString(low.address()));
    }

    @Test
    void quirkBadKludge_loadsTheElfDespiteTheKludgeFlag() throws BootException {
        TestImages.Elf e = new TestImages.Elf();
        e.header = mb1(0x10000, 0x500100, 0x500000, 0, 0, 0x500000); // kludge fields that lie
        byte[] image = e.build();
        assertEquals(0x500000, Multiboot1.load("k", image, List.of(), java.util.Set.of()).image().linkBase());
        assertEquals(0x100000, Multiboot1.load("k", image, List.of(), java.util.Set.of(Multiboot1.Quirk.BAD_KLUDGE))
                .image().linkBase());
    }

    @Test
    void relocationSections_areAcceptedByMultiboot1() throws BootException {
        TestImages.Elf e = new TestImages.Elf();
        e.header = mb1(0x3);
        e.sections = List.of(new long[] {9, 0, 0x10});
        Multiboot1 mb = Multiboot1.load("k", e.build(), List.of(), List.of());
        assertEquals(3, mb.image().sections().count());
    }
}
