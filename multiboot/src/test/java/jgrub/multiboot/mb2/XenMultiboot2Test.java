package jgrub.multiboot.mb2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.Placement;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.multiboot.FirmwareMaps;
import jgrub.multiboot.Module;
import jgrub.multiboot.Slice;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Xen 4.17 {@code xen.gz} from Debian, through the Multiboot 2 loader. */
class XenMultiboot2Test {

    static byte[] xen;

    @BeforeAll
    static void readXen() throws IOException {
        xen = Files.readAllBytes(Prerequisites.payload("xen.gz"));
    }

    static Multiboot2 load(Platform platform) throws BootException {
        List<Module> modules = List.of(
                new Module("/boot/vmlinuz", Slice.of(new byte[0x123456]), List.of("placeholder", "root=/dev/ram0",
                        "console=hvc0")),
                new Module("/boot/initrd.img", Slice.of(new byte[0x2000]), List.of()));
        return Multiboot2.load("/boot/xen.gz", xen, List.of("placeholder", "console=com1", "com1=115200,8n1"),
                modules, platform);
    }

    @Test
    void header_hasTheTagsXenIsKnownToCarry() throws BootException {
        Mb2Header h = load(Platform.PC).header();
        assertEquals(0, h.architecture());
        assertEquals(0, h.offset() % 8);
        List<HeaderTag> tags = h.tags();
        HeaderTag.InformationRequest request = assertInstanceOf(HeaderTag.InformationRequest.class, tags.get(0));
        assertEquals(List.of(4, 6), request.requests());
        assertFalse(request.optional());
        assertInstanceOf(HeaderTag.ModuleAlign.class, tags.get(1));
        HeaderTag.Relocatable r = assertInstanceOf(HeaderTag.Relocatable.class, tags.get(2));
        assertEquals(0x200000, r.minAddr());
        assertEquals(0xffffffffL, r.maxAddr());
        assertEquals(0x200000, r.align());
        assertEquals("high", r.preferenceName());
        HeaderTag.ConsoleFlags console = assertInstanceOf(HeaderTag.ConsoleFlags.class, tags.get(3));
        assertEquals(HeaderTag.ConsoleFlags.EGA_TEXT_SUPPORTED, console.consoleFlags());
        assertInstanceOf(HeaderTag.Framebuffer.class, tags.get(4));
        assertInstanceOf(HeaderTag.EfiBootServices.class, tags.get(5));
        HeaderTag.EntryAddress efi64 = assertInstanceOf(HeaderTag.EntryAddress.class, tags.get(6));
        assertEquals(HeaderTag.TYPE_ENTRY_ADDRESS_EFI64, efi64.type());
        assertEquals(7, tags.size());
    }

    @Test
    void biosPlan_placesXenHigh2MiBAlignedBelowUsableTop_modulesAndInfoInUsableRam() throws Exception {
        Multiboot2 mb = load(Platform.PC);
        Firmware firmware = FirmwareMaps.seabios();
        BootPlan plan = mb.plan(firmware);

        long size = mb.image().size();
        // Highest 2 MiB boundary whose image still ends below the reserved range at 0x7ffe0000.
        long expectedBase = ((0x7ffe0000L - size) / 0x200000) * 0x200000;
        Segment text = plan.segments().get(0);
        assertEquals(expectedBase, text.address());
        for (Segment s : plan.segments()) {
            assertTrue(s.end() <= 1L << 32, s.name());
            assertTrue(inUsable(firmware, s), s.name() + " not in usable RAM");
            for (Segment other : plan.segments()) {
                if (other != s) {
                    assertTrue(s.end() <= other.address() || other.end() <= s.address(),
                            s.name() + " overlaps " + other.name());
                }
            }
            for (MemoryRegion r : firmware.loaderReserved()) {
                assertTrue(s.end() <= r.base() || r.end() <= s.address(), s.name() + " over jgrub's memory");
            }
        }
        EntryState.Protected32 entry = assertInstanceOf(EntryState.Protected32.class, plan.entry());
        assertEquals(0x36d76289, entry.eax());
        assertEquals(expectedBase + (mb.linkEntry() - 0x200000), Integer.toUnsignedLong(entry.eip()));
        assertEquals(0x7ff00, entry.esp());

        Segment infoSegment = plan.segments().get(plan.segments().size() - 1);
        assertEquals(Integer.toUnsignedLong(entry.ebx()), infoSegment.address());
        assertEquals(0, infoSegment.address() % 8);
        InfoReader info = new InfoReader(bytes(infoSegment));
        assertEquals(List.of(21, 1, 2, 3, 3, 6, 9, 4, 8, 14, 0), info.types());
        assertEquals(expectedBase, info.first(21).u32(8));
        assertEquals("placeholder console=com1 com1=115200,8n1", info.first(1).string(8));
        String name = info.first(2).string(8);
        assertTrue(name.matches("jgrub \\S+ \\(GRUB 2 compatible\\)"), name);
        assertTrue(name.contains("GRUB ") && name.charAt(name.indexOf("GRUB ") + 5) != '0', "Xen's loader_is_grub2");

        List<InfoReader.Tag> mods = info.all(3);
        Segment kernelModule = plan.segments().stream().filter(s -> s.name().contains("vmlinuz")).findFirst()
                .orElseThrow();
        assertEquals(kernelModule.address(), mods.get(0).u32(8));
        assertEquals(kernelModule.address() + 0x123456, mods.get(0).u32(12));
        assertEquals(0, kernelModule.address() % 4096);
        assertEquals("placeholder root=/dev/ram0 console=hvc0", mods.get(0).string(16));
        assertEquals("", mods.get(1).string(16));
        assertEquals(0, mods.get(1).u32(8) % 4096);

        InfoReader.Tag mmap = info.first(6);
        assertEquals(24, mmap.u32(8));
        assertEquals(0, mmap.u32(12));
        List<MemoryRegion> map = firmware.memoryMap();
        assertEquals(16 + 24 * map.size(), mmap.size());
        for (int i = 0; i < map.size(); i++) {
            int at = 16 + 24 * i;
            assertEquals(map.get(i).base(), mmap.u64(at));
            assertEquals(map.get(i).length(), mmap.u64(at + 8));
            assertEquals(map.get(i).type().e820(), mmap.u32(at + 16));
        }
        InfoReader.Tag meminfo = info.first(4);
        assertEquals(0x9fc00 / 1024, meminfo.u32(8));
        assertEquals((0x7ffe0000L - 0x100000) / 1024, meminfo.u32(12));

        InfoReader.Tag elf = info.first(9);
        assertEquals(4, elf.u32(8)); // Xen's four section headers
        assertEquals(40, elf.u32(12));
        assertEquals(2, elf.u32(16));
        // .shstrtab (index 2) had no address; GRUB loads it and writes where.
        long shstrtab = elf.u32(20 + 2 * 40 + 12);
        Segment strtab = plan.segments().stream().filter(s -> s.name().contains("ELF section 2")).findFirst()
                .orElseThrow();
        assertEquals(strtab.address(), shstrtab);

        InfoReader.Tag fb = info.first(8);
        assertEquals(0xb8000, fb.u64(8));
        assertEquals(2, fb.body().get(29)); // EGA text
        InfoReader.Tag acpi = info.first(14);
        assertArrayEquals(firmware.rsdp().orElseThrow().bytes(), slice(acpi, 8, 20));
    }

    @Test
    void efiPlan_entersAtTag9InLongMode_withEfiTagsAndNoMemoryMaps() throws Exception {
        Multiboot2 mb = load(Platform.EFI);
        Firmware firmware = FirmwareMaps.seabios();
        BootPlan plan = mb.plan(firmware, new Placement(firmware),
                new Multiboot2.EfiHandoff(0x7f000000L, 0x7f001000L, 0x7f0ff000L));
        EntryState.Long64 entry = assertInstanceOf(EntryState.Long64.class, plan.entry());
        long base = plan.segments().get(0).address();
        assertEquals(base + 0x3dd531 - 0x200000, entry.rip()); // tag 9 entry_addr, relocated with the image
        assertEquals(0x36d76289, entry.rax());
        assertEquals(0x7f0ff000L, entry.rsp());
        Segment infoSegment = plan.segments().get(plan.segments().size() - 1);
        assertEquals(infoSegment.address(), entry.rbx());
        InfoReader info = new InfoReader(bytes(infoSegment));
        assertEquals(List.of(21, 1, 2, 3, 3, 9, 12, 14, 18, 20, 0), info.types());
        assertEquals(0x7f000000L, info.first(12).u64(8));
        assertEquals(0x7f001000L, info.first(20).u64(8));
    }

    static boolean inUsable(Firmware firmware, Segment s) {
        return firmware.memoryMap().stream().anyMatch(r -> r.type() == jgrub.boot.MemoryType.USABLE
                && r.contains(s.address(), s.memorySize()));
    }

    static byte[] bytes(Segment s) throws IOException {
        return jgrub.multiboot.TestImages.bytes(s);
    }

    static byte[] slice(InfoReader.Tag t, int at, int length) {
        byte[] out = new byte[length];
        t.body().get(at, out);
        return out;
    }
}
