package jgrub.multiboot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Placement;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import org.junit.jupiter.api.Test;

/**
 * jgrub against real GRUB 2.06 (i386-pc) for the same kernel, command lines and modules, on the same firmware: the
 * boot information must agree field for field, apart from what jgrub documents it does not produce (GRUB's APM data,
 * its loader name). The GRUB side was recorded by {@code src/test/grub-capture/capture.sh}; the firmware memory map
 * and RSDP given to jgrub are the ones GRUB reported, so both start from the same machine.
 */
class GrubDifferentialTest {

    /** The words GRUB's parser made of {@code placeholder console=com1 "two words" it\'s back\\slash}. */
    static final List<String> KERNEL_WORDS = List.of("placeholder", "console=com1", "two words", "it's", "back\\slash");

    static List<Module> modules() throws IOException, BootException {
        byte[] m3 = new byte[5000];
        Arrays.fill(m3, (byte) 'x');
        return List.of(
                Module.of("/m1.gz", GrubCapture.resource("m1.gz"), false,
                        List.of("placeholder", "root=/dev/ram0", "console=hvc0")),
                Module.of("/m2.gz", GrubCapture.resource("m2.gz"), true, List.of()),
                Module.of("/m3", m3, false, List.of()));
    }

    record Tag(int type, int size, byte[] bytes) {
    }

    static List<Tag> tags(byte[] info) {
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        List<Tag> tags = new ArrayList<>();
        for (int at = 8; at < info.length; at += (b.getInt(at + 4) + 7) & ~7) {
            int size = b.getInt(at + 4);
            tags.add(new Tag(b.getInt(at), size, Arrays.copyOfRange(info, at, at + size)));
        }
        return tags;
    }

    /** The firmware as GRUB saw it, from the memory-map and ACPI tags of its MB2 information. */
    static Firmware firmwareFrom(List<Tag> grubTags) {
        List<MemoryRegion> map = new ArrayList<>();
        Optional<Firmware.AcpiRsdp> rsdp = Optional.empty();
        for (Tag t : grubTags) {
            ByteBuffer b = ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            if (t.type() == 6) {
                for (int at = 16; at + 24 <= t.size(); at += 24) {
                    map.add(new MemoryRegion(b.getLong(at), b.getLong(at + 8), MemoryType.ofE820(b.getInt(at + 16))));
                }
            } else if (t.type() == 14) {
                rsdp = Optional.of(new Firmware.AcpiRsdp(0xf5a10, Arrays.copyOfRange(t.bytes(), 8, 28)));
            }
        }
        return new Firmware(map, rsdp, List.of());
    }

    @Test
    void multiboot2_infoTagsEqualGrubs_exceptApmAndLoaderName() throws Exception {
        GrubCapture grub = GrubCapture.load("grub-pc-mb2.txt");
        assertEquals(0x36d76289, grub.eax);
        int grubSize = (int) grub.u32(grub.ebx);
        List<Tag> grubTags = tags(grub.read(grub.ebx, grubSize));

        Multiboot2 kernel = Multiboot2.load("/k", GrubCapture.resource("dump-mbi.elf"), KERNEL_WORDS,
                Platform.PC);
        for (Module m : modules()) {
            kernel = kernel.withModule(m);
        }
        BootPlan plan = kernel.plan(firmwareFrom(grubTags));
        Segment info = plan.segments().get(plan.segments().size() - 1);
        List<Tag> ours = tags(TestImages.bytes(info));

        List<Integer> grubTypes = grubTags.stream().map(Tag::type).filter(t -> t != 10).toList();
        assertEquals(grubTypes, ours.stream().map(Tag::type).toList(), "tag order");
        List<Tag> grubCompared = grubTags.stream().filter(t -> t.type() != 10).toList();
        for (int i = 0; i < ours.size(); i++) {
            Tag g = grubCompared.get(i);
            Tag j = ours.get(i);
            if (g.type() == 2) {
                assertEquals("GRUB 2.06-13+deb12u2", new String(g.bytes(), 8, g.size() - 9));
                continue;
            }
            assertArrayEquals(g.bytes(), j.bytes(), "tag " + g.type() + " (#" + i + ")");
        }
        EntryState.Protected32 entry = (EntryState.Protected32) plan.entry();
        assertEquals(grub.ebx, Integer.toUnsignedLong(entry.ebx()), "GRUB and jgrub put the information at one place");
    }

    @Test
    void multiboot2OnEfi_tagSetAndOrderEqualGrubs_exceptTheGopFramebuffer() throws Exception {
        GrubCapture grub = GrubCapture.load("grub-efi-mb2.txt");
        assertEquals(0x36d76289, grub.eax);
        List<Tag> grubTags = tags(grub.read(grub.ebx, (int) grub.u32(grub.ebx)));
        long systemTable = 0;
        long imageHandle = 0;
        byte[] rsdp2 = null;
        for (Tag t : grubTags) {
            ByteBuffer b = ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            if (t.type() == 12) {
                systemTable = b.getLong(8);
            } else if (t.type() == 20) {
                imageHandle = b.getLong(8);
            } else if (t.type() == 15) {
                rsdp2 = Arrays.copyOfRange(t.bytes(), 8, t.size());
            }
        }
        GrubCapture pc = GrubCapture.load("grub-pc-mb2.txt");
        Firmware pcFirmware = firmwareFrom(tags(pc.read(pc.ebx, (int) pc.u32(pc.ebx))));
        Firmware firmware = new Firmware(pcFirmware.memoryMap(),
                Optional.of(new Firmware.AcpiRsdp(0x7f77d014L, rsdp2)), List.of());

        Multiboot2 kernel = Multiboot2.load("/k", GrubCapture.resource("dump-mbi.elf"), KERNEL_WORDS,
                Platform.EFI);
        for (Module m : modules()) {
            kernel = kernel.withModule(m);
        }
        BootPlan plan = kernel.plan(firmware, new Placement(firmware),
                new Multiboot2.EfiHandoff(systemTable, imageHandle, 0x7f000000L));
        List<Tag> ours = tags(TestImages.bytes(plan.segments().get(plan.segments().size() - 1)));

        // jgrub's EFI environment has no graphics output protocol, so there is no framebuffer tag (8) to give.
        List<Tag> grubCompared = grubTags.stream().filter(t -> t.type() != 8).toList();
        assertEquals(grubCompared.stream().map(Tag::type).toList(), ours.stream().map(Tag::type).toList());
        for (int i = 0; i < ours.size(); i++) {
            Tag g = grubCompared.get(i);
            Tag j = ours.get(i);
            switch (g.type()) {
                case 1, 12, 15, 18, 20, 21, 0 -> assertArrayEquals(g.bytes(), j.bytes(), "tag " + g.type());
                case 3 -> {
                    // Module addresses differ (GRUB on OVMF takes free pages below 1 MiB); sizes and lines agree.
                    ByteBuffer gb = ByteBuffer.wrap(g.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    ByteBuffer jb = ByteBuffer.wrap(j.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(gb.getInt(12) - gb.getInt(8), jb.getInt(12) - jb.getInt(8), "module size");
                    assertArrayEquals(Arrays.copyOfRange(g.bytes(), 16, g.size()),
                            Arrays.copyOfRange(j.bytes(), 16, j.size()), "module cmdline");
                }
                case 9 -> assertArrayEquals(Arrays.copyOfRange(g.bytes(), 0, 20), Arrays.copyOfRange(j.bytes(), 0, 20),
                        "ELF sections tag header");
                case 14 -> assertEquals(g.size(), j.size(), "ACPI 1.0 RSDP copy (OVMF has a separate one)");
                default -> { /* loader name */ }
            }
        }
        EntryState.Long64 entry = (EntryState.Long64) plan.entry();
        long tag9 = kernel.header().tags().stream()
                .filter(t -> t.type() == jgrub.multiboot.mb2.HeaderTag.TYPE_ENTRY_ADDRESS_EFI64)
                .mapToLong(t -> ((jgrub.multiboot.mb2.HeaderTag.EntryAddress) t).entryAddr()).findFirst().orElseThrow();
        long loadBase = ByteBuffer.wrap(ours.get(0).bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xffffffffL;
        assertEquals(tag9 + loadBase - kernel.image().linkBase(), entry.rip(),
                "entered at _start64, the tag-9 address moved with the image");
        assertEquals(0x36d76289, entry.rax());
        assertEquals(plan.segments().get(plan.segments().size() - 1).address(), entry.rbx());
    }

    @Test
    void multiboot1_infoStructureEqualsGrubs_exceptApmVbeAndLoaderName() throws Exception {
        GrubCapture grub = GrubCapture.load("grub-pc-mb1.txt");
        GrubCapture grub2 = GrubCapture.load("grub-pc-mb2.txt");
        assertEquals(0x2badb002, grub.eax);
        Firmware firmware = firmwareFrom(tags(grub2.read(grub2.ebx, (int) grub2.u32(grub2.ebx))));
        Multiboot1 kernel = Multiboot1.load("/k", GrubCapture.resource("dump-mbi.elf"), KERNEL_WORDS,
                java.util.Set.of());
        for (Module m : modules()) {
            kernel = kernel.withModule(m);
        }
        BootPlan plan = kernel.plan(firmware);
        Segment infoSegment = plan.segments().get(plan.segments().size() - 1);
        long ours = infoSegment.address();
        GuestMemory mine = new GuestMemory(plan);
        long theirs = grub.ebx;
        assertEquals(theirs, ours, "GRUB and jgrub put the structure at one place");

        // GRUB also sets VBE_INFO (0x800) from the VBE BIOS, which jgrub does not ask.
        assertEquals(grub.u32(theirs) & ~0x800L, mine.u32(ours), "flags");
        for (int field : new int[] {4, 8, 12, 20, 28, 32, 40, 44}) {
            assertEquals(grub.u32(theirs + field), mine.u32(ours + field), "field at " + field);
        }
        assertEquals(grub.string(grub.u32(theirs + 16)), mine.string(mine.u32(ours + 16)), "cmdline");
        assertTrue(mine.string(mine.u32(ours + 64)).endsWith("(GRUB 2 compatible)"));
        long gm = grub.u32(theirs + 24);
        long jm = mine.u32(ours + 24);
        for (int i = 0; i < 3; i++) {
            assertEquals(grub.u32(gm + 16 * i), mine.u32(jm + 16 * i), "module " + i + " start");
            assertEquals(grub.u32(gm + 16 * i + 4), mine.u32(jm + 16 * i + 4), "module " + i + " end");
            assertEquals(grub.string(grub.u32(gm + 16 * i + 8)), mine.string(mine.u32(jm + 16 * i + 8)),
                    "module " + i + " cmdline");
        }
        int mmapLength = (int) grub.u32(theirs + 44);
        assertArrayEquals(grub.read(grub.u32(theirs + 48), mmapLength), mine.read(mine.u32(ours + 48), mmapLength),
                "memory map");
        int sections = (int) (grub.u32(theirs + 28) * grub.u32(theirs + 32));
        assertArrayEquals(grub.read(grub.u32(theirs + 36), sections), mine.read(mine.u32(ours + 36), sections),
                "ELF section headers");
        // The framebuffer fields: EGA text 80x25 at 0xb8000, as GRUB reports the text console.
        assertArrayEquals(grub.read(theirs + 88, 22), mine.read(ours + 88, 22), "framebuffer fields");
    }

    /** The guest memory a plan produces, for reading the MB1 structure's pointers. */
    static final class GuestMemory implements ReadableMemory {
        private final List<Segment> segments;

        GuestMemory(BootPlan plan) {
            this.segments = plan.segments();
        }

        @Override
        public byte[] read(long address, int length) throws IOException {
            for (Segment s : segments) {
                if (address >= s.address() && address + length <= s.address() + s.contents().size()) {
                    byte[] all = TestImages.bytes(s);
                    return Arrays.copyOfRange(all, (int) (address - s.address()),
                            (int) (address - s.address()) + length);
                }
            }
            throw new AssertionError("nothing placed at 0x" + Long.toHexString(address));
        }
    }
}
