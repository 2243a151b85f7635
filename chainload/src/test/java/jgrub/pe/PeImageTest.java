package jgrub.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeImageTest {

    @Test
    void tinyImage_parsesAndRelocates() throws Exception {
        byte[] file = TinyPe.build();
        PeImage image = PeImage.parse(file, "tiny.efi");
        assertEquals(2, image.sections().size());
        assertEquals(".text", image.sections().get(0).name());
        assertEquals(1, image.relocations().size());
        assertTrue(image.isRelocatable());

        PeLoader.LoadedPe loaded = PeLoader.load(image, file, 0x200000);
        ByteBuffer memory = ByteBuffer.wrap(loaded.memory()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x201000L, memory.getLong(0x1008), "the DIR64 pointer moves with the image");
        assertEquals((byte) 0xF4, loaded.memory()[0x1000]);
        assertEquals(0x201000L, loaded.entryPoint());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not MZ", (Consumer<ByteBuffer>) b -> b.putShort(0, (short) 0x4D5A),
                        "tiny.efi: corrupt PE image: DOS header e_magic = 0x4d5a at offset 0x0: not \"MZ\""),
                Arguments.of("e_lfanew past end", (Consumer<ByteBuffer>) b -> b.putInt(0x3C, 0x7000),
                        "tiny.efi: corrupt PE image: DOS header e_lfanew = 0x7000 at offset 0x3c: PE headers lie "
                                + "past the end of the file (file has 0x600 bytes)"),
                Arguments.of("wrong machine", (Consumer<ByteBuffer>) b -> b.putShort(TinyPe.COFF, (short) 0x14c),
                        "tiny.efi: unsupported PE image: COFF Machine = 0x14c at offset 0x84: jgrub loads x86-64 "
                                + "(0x8664) images only"),
                Arguments.of("PE32", (Consumer<ByteBuffer>) b -> b.putShort(TinyPe.OPT, (short) 0x10B),
                        "tiny.efi: unsupported PE image: optional header Magic = 0x10b at offset 0x98: PE32 (32-bit) "
                                + "image; jgrub loads PE32+ (0x20b)"),
                Arguments.of("no sections", (Consumer<ByteBuffer>) b -> b.putShort(TinyPe.COFF + 2, (short) 0),
                        "tiny.efi: corrupt PE image: COFF NumberOfSections = 0x0 at offset 0x86: must be 1 to 96"),
                Arguments.of("section past file",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.TEXT_HEADER + 20, 0x5f8),
                        "tiny.efi: corrupt PE image: section 0 (.text) PointerToRawData = 0x5f8 at offset 0x19c: 0x10 "
                                + "bytes of data run past the end of the file (0x600 bytes)"),
                Arguments.of("section past SizeOfImage",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.RELOC_HEADER + 8, 0x2000),
                        "tiny.efi: corrupt PE image: section 1 (.reloc) VirtualSize = 0x2000 at offset 0x1b8: "
                                + "section ends at 0x4000, past SizeOfImage 0x3000"),
                Arguments.of("control characters in a section name (found by PeFuzzTest)",
                        (Consumer<ByteBuffer>) b -> b.put(TinyPe.RELOC_HEADER + 2, (byte) '\n')
                                .put(TinyPe.RELOC_HEADER + 3, (byte) 0xE9).putInt(TinyPe.RELOC_HEADER + 8, 0x2000),
                        "tiny.efi: corrupt PE image: section 1 (.r\\x0a\\xe9oc) VirtualSize = 0x2000 at offset 0x1b8: "
                                + "section ends at 0x4000, past SizeOfImage 0x3000"),
                Arguments.of("sections overlap",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.RELOC_HEADER + 12, 0x1008),
                        "tiny.efi: corrupt PE image: section 1 (.reloc) VirtualAddress = 0x1008 at offset 0x1bc: "
                                + "overlaps section .text (ends at 0x1010)"),
                Arguments.of("relocations outside file data",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.OPT + 112 + 5 * 8, 0x2800),
                        "tiny.efi: corrupt PE image: base relocation directory VirtualAddress = 0x2800 at offset "
                                + "0x130: 0xc bytes of relocations not inside the file data of any section"),
                Arguments.of("entry outside sections", (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.OPT + 16, 0x1800),
                        "tiny.efi: corrupt PE image: optional header AddressOfEntryPoint = 0x1800 at offset 0xa8: "
                                + "not inside any section"),
                Arguments.of("relocation out of range",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.RELOC_FILE, 0x2ffc),
                        "tiny.efi: corrupt PE image: base relocation target RVA = 0x3004 at offset 0x408: patches "
                                + "past SizeOfImage 0x3000"),
                Arguments.of("relocation block too short",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.RELOC_FILE + 4, 6),
                        "tiny.efi: corrupt PE image: base relocation block SizeOfBlock = 0x6 at offset 0x404: must "
                                + "be even, at least 8 and within the directory"),
                Arguments.of("unknown relocation type",
                        (Consumer<ByteBuffer>) b -> b.putShort(TinyPe.RELOC_FILE + 8, (short) 0x5008),
                        "tiny.efi: unsupported PE image: base relocation entry type = 0x5 at offset 0x408: only "
                                + "ABSOLUTE (0), HIGHLOW (3) and DIR64 (10) are loaded"),
                Arguments.of("not EFI", (Consumer<ByteBuffer>) b -> b.putShort(TinyPe.OPT + 68, (short) 3),
                        "tiny.efi: unsupported PE image: optional header Subsystem = 0x3 at offset 0xdc: not an EFI "
                                + "image (10, 11 or 12)"),
                Arguments.of("huge image", (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.OPT + 56, 0x7fffffff),
                        "tiny.efi: unsupported PE image: optional header SizeOfImage = 0x7fffffff at offset 0xd0: "
                                + "must be 1 byte to 1 GiB"),
                Arguments.of("headers overlap sections",
                        (Consumer<ByteBuffer>) b -> b.putInt(TinyPe.OPT + 60, 0x1800),
                        "tiny.efi: corrupt PE image: optional header SizeOfHeaders = 0x1800 at offset 0xd4: headers "
                                + "run past the end of the file (file has 0x600 bytes)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedImage_isRefusedNamingTheField(String what, Consumer<ByteBuffer> damage, String message) {
        byte[] file = TinyPe.build();
        damage.accept(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN));
        PeFormatException e = assertThrows(PeFormatException.class, () -> PeImage.parse(file, "tiny.efi"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void truncatedHeaders_areRefused() {
        byte[] file = Arrays.copyOf(TinyPe.build(), 0x90);
        PeFormatException e = assertThrows(PeFormatException.class, () -> PeImage.parse(file, "tiny.efi"));
        assertEquals("tiny.efi: corrupt PE image: DOS header e_lfanew = 0x80 at offset 0x3c: PE headers lie past the "
                + "end of the file (file has 0x90 bytes)", e.getMessage());
    }

    @Test
    void imageWithRelocsStripped_cannotMove() throws Exception {
        byte[] file = TinyPe.build();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(TinyPe.COFF + 18, (short) (0x22 | 0x0001)); // IMAGE_FILE_RELOCS_STRIPPED
        PeImage image = PeImage.parse(file, "tiny.efi");
        PeFormatException e = assertThrows(PeFormatException.class, () -> PeLoader.load(image, file, 0x200000));
        assertEquals("tiny.efi: unsupported PE image: optional header ImageBase = 0x140000000 at offset 0x0: the "
                + "image's relocations are stripped (IMAGE_FILE_RELOCS_STRIPPED) and it cannot run at 0x200000",
                e.getMessage());
        assertEquals(TinyPe.IMAGE_BASE + 0x1000, PeLoader.load(image, file, TinyPe.IMAGE_BASE).entryPoint());
    }

    /** Debian 12's Linux EFI stub: ImageBase 0, an empty relocation directory, RELOCS_STRIPPED clear; OVMF moves it. */
    @Test
    void emptyRelocationDirectory_withoutRelocsStripped_runsAnywhere_asOvmfLoadsIt() throws Exception {
        byte[] file = TinyPe.build();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TinyPe.OPT + 112 + 5 * 8 + 4, 0);
        b.putLong(TinyPe.OPT + 24, 0); // ImageBase 0
        PeImage image = PeImage.parse(file, "vmlinuz");
        assertTrue(image.isRelocatable());
        PeLoader.LoadedPe loaded = PeLoader.load(image, file, 0x200000);
        assertEquals(0x201000, loaded.entryPoint());
        assertEquals(TinyPe.IMAGE_BASE + 0x1000, ByteBuffer.wrap(loaded.memory()).order(ByteOrder.LITTLE_ENDIAN)
                .getLong(0x1008), "no relocation entries: nothing patched");
    }

    @Test
    void seededMutations_onlyEverRaisePeFormatException() {
        byte[] valid = TinyPe.build();
        java.util.Random random = new java.util.Random(0x6a67727562L);
        for (int round = 0; round < 20_000; round++) {
            byte[] file = valid.clone();
            int changes = 1 + random.nextInt(4);
            for (int i = 0; i < changes; i++) {
                // Mutate the headers and the relocation block, where the parser reads.
                int at = random.nextBoolean() ? random.nextInt(0x200) : TinyPe.RELOC_FILE + random.nextInt(16);
                file[at] = (byte) random.nextInt(256);
            }
            try {
                PeImage image = PeImage.parse(file, "mutant.efi");
                PeLoader.load(image, file, 0x40000000);
            } catch (PeFormatException expected) {
                // the only outcome besides success
            }
        }
    }
}
