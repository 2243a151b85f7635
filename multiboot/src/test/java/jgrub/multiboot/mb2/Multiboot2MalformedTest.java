package jgrub.multiboot.mb2;

import static jgrub.multiboot.TestImages.mb2;
import static jgrub.multiboot.TestImages.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import jgrub.multiboot.FirmwareMaps;
import jgrub.multiboot.ImageFormatException;
import jgrub.multiboot.TestImages;
import jgrub.multiboot.TestImages.Seg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One small code-built image per way a Multiboot 2 kernel can be wrong, each with the exact message. */
class Multiboot2MalformedTest {

    static TestImages.Elf elf(byte[] header) {
        TestImages.Elf e = new TestImages.Elf();
        e.header = header;
        return e;
    }

    static Multiboot2 load(byte[] image) throws BootException {
        return Multiboot2.load("k", image, List.of(), List.of(), Platform.PC);
    }

    static Arguments refused(String name, Supplier<byte[]> image, String message) {
        return Arguments.of(name, image, message);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                refused("bad checksum", () -> {
                    byte[] h = mb2();
                    TestImages.putInt(h, 12, 0x17adaf13L);
                    return elf(h).build();
                }, "k: Multiboot 2 header: checksum 0x17adaf13 at offset 0x10c does not make magic + architecture"
                        + " + header_length + checksum zero (sum 0x1) (corrupt)"),
                refused("wrong architecture", () -> {
                    byte[] h = mb2();
                    TestImages.putInt(h, 4, 4);
                    TestImages.putInt(h, 12, 0x17adaf12L - 4);
                    return elf(h).build();
                }, "k: Multiboot 2 header: architecture 0x4 at offset 0x104 is not i386 (0) (unsupported)"),
                refused("a PE image without an address tag (Debian's xen-*.efi)", () -> {
                    byte[] image = elf(mb2()).build();
                    image[0] = 'M';
                    image[1] = 'Z';
                    return image;
                }, "k: image: signature 0x5a4d at offset 0x0 is a PE/COFF (MZ) image whose Multiboot 2 header has no"
                        + " address tag, so multiboot2 can load it only as ELF, which it is not; GRUB refuses it too."
                        + " Boot a PE Xen (xen.efi) with chainloader on efi (unsupported)"),
                refused("no header", () -> elf(new byte[0]).build(),
                        "k: no Multiboot 2 header (magic 0xe85250d6 at an 8-byte boundary) in the first 32 KiB"),
                refused("header past 32 KiB", () -> {
                    TestImages.Elf e = elf(new byte[0]);
                    e.segments = List.of(new Seg(0x100000, 0x9000, 0x9000));
                    byte[] image = e.build();
                    byte[] h = mb2();
                    System.arraycopy(h, 0, image, 0x8100, h.length);
                    return image;
                }, "k: no Multiboot 2 header (magic 0xe85250d6 at an 8-byte boundary) in the first 32 KiB"),
                refused("shorter than 32 bytes", () -> new byte[31],
                        "k: file is 31 bytes, too short for a Multiboot 2 image: premature end of file (corrupt)"),
                refused("unknown required tag", () -> elf(mb2(tag(42, 0))).build(),
                        "k: Multiboot 2 header tag 42 (unknown): type 0x2a at offset 0x110 is a required tag GRUB"
                                + " does not support (unsupported)"),
                refused("EFI i386 entry tag", () -> elf(mb2(tag(8, 0, 0x100000))).build(),
                        "k: Multiboot 2 header tag 8 (EFI i386 entry address): type 0x8 at offset 0x110 is a"
                                + " required tag GRUB does not support (unsupported)"),
                refused("info request GRUB cannot give", () -> elf(mb2(tag(1, 0, 6, 13))).build(),
                        "k: Multiboot 2 header tag 1 (information request): mbi_tag_types[1] 0xd at offset 0x11c"
                                + " asks for an information tag GRUB cannot give (unsupported)"),
                refused("tag size below 8", () -> {
                    byte[] h = mb2(tag(6, 0));
                    TestImages.putInt(h, 20, 4);
                    return elf(h).build();
                }, "k: Multiboot 2 header tag 6 (module alignment): size 0x4 at offset 0x114 is below 8 or runs"
                        + " past header_length 0x20 (corrupt)"),
                refused("tag past header length", () -> {
                    byte[] h = mb2(tag(6, 0));
                    TestImages.putInt(h, 20, 0x1000);
                    return elf(h).build();
                }, "k: Multiboot 2 header tag 6 (module alignment): size 0x1000 at offset 0x114 is below 8 or runs"
                        + " past header_length 0x20 (corrupt)"),
                refused("short address tag", () -> elf(mb2(tag(2, 0, 0x100100), tag(3, 0, 0x100000))).build(),
                        "k: Multiboot 2 header tag 2 (address): size 0xc at offset 0x114 is below 0x18, the size of"
                                + " this tag type (corrupt)"),
                refused("address tag without entry tag", () -> elf(mb2(tag(2, 0, 0x100100, 0x100000, 0, 0)))
                        .build(), "k: Multiboot 2 header tag 2 (address): type 0x2 at offset 0x110 comes without an"
                                + " entry address tag (3) (corrupt)"),
                refused("a.out kludge past the end of the file", () -> elf(mb2(
                        tag(2, 0, 0x100100, 0x100000, 0x200000, 0), tag(3, 0, 0x100000))).build(),
                        "k: Multiboot 2 header tag 2 (address): load_end_addr 0x200000 at offset 0x120 asks for"
                                + " 0x100000 bytes from file offset 0x0, past the end of the file (0x1170 bytes):"
                                + " truncated (corrupt)"),
                refused("relocatable range too small", () -> elf(mb2(tag(10, 0, 0x200000, 0x200fff, 0x1000, 2)))
                        .build(), "k: Multiboot 2 header tag 10 (relocatable): min_addr 0x200000 at offset 0x118 and"
                                + " max_addr 0x200fff leave no room for the image (0x2000 bytes): invalid min/max"
                                + " address and/or load size (corrupt)"),
                refused("overlapping segments", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.segments = List.of(new Seg(0x100000, 0x1000, 0x2000), new Seg(0x101000, 0x100, 0x100));
                    return e.build();
                }, "k: ELF program header 1: p_paddr 0x101000 at offset 0x60 with p_memsz 0x100 overlaps segment 0"
                        + " [0x100000, 0x102000) (corrupt)"),
                refused("segment above 4 GiB", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.elf64 = true;
                    e.segments = List.of(new Seg(0xffff0000L, 0x1000, 0x20000));
                    e.entry = 0xffff0000L;
                    return e.build();
                }, "k: ELF program header 0: p_paddr 0xffff0000 at offset 0x58 with p_memsz 0x20000 ends at"
                        + " 0x100010000, above 4 GiB: segment crosses 4 GiB border (unsupported)"),
                refused("absurd p_filesz", () -> {
                    TestImages.Elf e = elf(mb2());
                    byte[] image = e.build();
                    TestImages.putInt(image, 52 + 16, 0x7fff0000L);
                    TestImages.putInt(image, 52 + 20, 0x7fff0000L);
                    return image;
                }, "k: program header 0 segment data (p_offset, p_filesz) at offset 0x100 (0x7fff0000 bytes) is past"
                        + " the end of the file (0x1170 bytes): truncated (corrupt)"),
                refused("absurd ELF64 p_memsz", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.elf64 = true;
                    e.segments = List.of(new Seg(0x100000, 0x1000, 0x8000000000000000L));
                    return e.build();
                }, "k: ELF program header 0: p_memsz 0x8000000000000000 at offset 0x68 is absurdly large (corrupt)"),
                refused("p_filesz above p_memsz", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.segments = List.of(new Seg(0x100000, 0x1000, 0x800));
                    return e.build();
                }, "k: ELF program header 0: p_filesz 0x1000 at offset 0x44 is larger than p_memsz 0x800 (corrupt)"),
                refused("truncated file", () -> {
                    byte[] image = elf(mb2()).build();
                    return java.util.Arrays.copyOf(image, 0x180);
                }, "k: section headers e_shoff + e_shnum * e_shentsize at offset 0x1120 (0x50 bytes) is past the end"
                        + " of the file (0x180 bytes): truncated (corrupt)"),
                refused("entry outside every segment", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.entry = 0x400000;
                    return e.build();
                }, "k: ELF header: e_entry 0x400000 at offset 0x18 is not in any segment (corrupt)"),
                refused("wrong machine", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.machine = 40;
                    return e.build();
                }, "k: ELF header: e_machine 0x28 at offset 0x12 is not i386 (3), which ELF32 kernels must be"
                        + " (unsupported)"),
                refused("relocation section", () -> {
                    TestImages.Elf e = elf(mb2());
                    e.sections = List.of(new long[] {9, 0, 0x10});
                    return e.build();
                }, "k: ELF section header 2: sh_type 0x9 at offset 0x1174 is REL: ELF files with relocations are not"
                        + " supported by Multiboot 2 (as in GRUB) (unsupported)"),
                refused("console required but no console accepted", () -> elf(mb2(tag(4, 0, 1))).build(),
                        "k: Multiboot 2 header: tag 4 (console flags) requires a console, and the image accepts none"
                                + " the platform has: OS requires a console but none is available (unsupported)"),
                refused("console required, only a framebuffer accepted", () -> elf(mb2(tag(4, 0, 1),
                        tag(5, 0, 1024, 768, 32))).build(), "k: Multiboot 2 header: tag 4 (console flags) requires a"
                                + " console that only a graphics framebuffer can give, and jgrub sets no graphics mode"
                                + " (unsupported)"),
                refused("program headers past 32 KiB", () -> {
                    byte[] image = java.util.Arrays.copyOf(elf(mb2()).build(), 0x9000);
                    System.arraycopy(image, 52, image, 0x8000, 32);
                    TestImages.putInt(image, 28, 0x8000);
                    return image;
                }, "k: ELF header: e_phoff 0x8000 at offset 0x1c puts the program headers (ending at 0x8020) past the"
                        + " first 32 KiB, where GRUB reads them (unsupported)"),
                refused("corrupt gzip", () -> new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4},
                        "k: gzip data is truncated (corrupt)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedImage_isRefusedWithItsMessage(String name, Supplier<byte[]> image, String message) {
        BootException e = assertThrows(BootException.class, () -> load(image.get()));
        assertEquals(message, e.getMessage());
    }

    @Test
    void segmentOverReservedMemory_isRefusedWhenPlaced() throws BootException {
        TestImages.Elf e = elf(mb2());
        e.segments = List.of(new Seg(0x9f000, 0x1000, 0x2000));
        e.entry = 0x9f000;
        Multiboot2 mb = load(e.build());
        BootException x = assertThrows(BootException.class, () -> mb.plan(FirmwareMaps.seabios()));
        assertEquals("k segment 0 at [0x9f000, 0xa1000) overlaps firmware reserved memory [0x9fc00, 0xa0000)",
                x.getMessage());
    }

    @Test
    void segmentOverJgrubsOwnMemory_isRefusedWhenPlaced() throws BootException {
        TestImages.Elf e = elf(mb2());
        e.segments = List.of(new Seg(0x6000, 0x1000, 0x2000));
        e.entry = 0x6000;
        Multiboot2 mb = load(e.build());
        BootException x = assertThrows(BootException.class, () -> mb.plan(FirmwareMaps.seabios()));
        assertEquals("k segment 0 at [0x6000, 0x8000) overlaps jgrub's own memory [0x7000, 0x8000)", x.getMessage());
    }

    @Test
    void segmentBeyondRam_isRefusedWhenPlaced() throws BootException {
        TestImages.Elf e = elf(mb2());
        e.segments = List.of(new Seg(0x90000000L, 0x1000, 0x1000));
        e.entry = 0x90000000L;
        Multiboot2 mb = load(e.build());
        BootException x = assertThrows(BootException.class, () -> mb.plan(FirmwareMaps.seabios()));
        assertEquals("k segment 0 at [0x90000000, 0x90001000) is not in usable RAM of the firmware memory map",
                x.getMessage());
    }

    @Test
    void modulesThatDoNotFit_areRefusedWhenPlaced() throws BootException {
        jgrub.multiboot.Module huge = new jgrub.multiboot.Module("big", new jgrub.boot.Contents() {
            @Override
            public long size() {
                return 0x90000000L;
            }

            @Override
            public void writeTo(java.nio.ByteBuffer target) {
                throw new AssertionError("never written");
            }
        }, List.of());
        Multiboot2 mb = Multiboot2.load("k", elf(mb2()).build(), List.of(), List.of(huge),
                Platform.PC);
        BootException x = assertThrows(BootException.class, () -> mb.plan(FirmwareMaps.seabios()));
        assertEquals("no room for module 1 (big) (0x90000000 bytes, aligned 0x1000, starting in [0x100000,"
                + " 0x70000000]) in usable RAM of the firmware memory map", x.getMessage());
    }

    @Test
    void requiredEgaConsole_isAccepted() throws BootException {
        load(elf(mb2(tag(4, 0, 3))).build());
    }

    @Test
    void efiPlatform_withoutBootServicesTag_isRefused() {
        BootException e = assertThrows(BootException.class, () -> Multiboot2.load("k", elf(mb2()).build(), List.of(),
                Platform.EFI));
        assertEquals("k: Multiboot 2 header: no EFI boot services tag (7): booting it on EFI needs GRUB's"
                + " ExitBootServices-then-32-bit path, which jgrub does not provide (unsupported)", e.getMessage());
    }

    @Test
    void optionalUnknownTag_andOptionalEfiI386Entry_areAccepted() throws BootException {
        load(elf(mb2(tag(42, 1, 7), tag(8, 1, 0x100000))).build());
    }

    @Test
    void refusals_areImageFormatExceptions() {
        assertThrows(ImageFormatException.class, () -> load(elf(mb2(tag(42, 0))).build()));
    }
}
