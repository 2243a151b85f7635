package jgrub.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds a minimal valid PE32+ EFI application in code, laid out as a linker would: headers in the first 0x200 bytes,
 * .text (16 bytes of code holding one 64-bit pointer at RVA 0x1008) at RVA 0x1000, .reloc with one DIR64 block at RVA
 * 0x2000. Tests patch single fields of it to make each malformed variant; the offsets below are where those fields are.
 */
public final class TinyPe {

    public static final long IMAGE_BASE = 0x140000000L;
    static final int PE_OFFSET = 0x80;
    public static final int COFF = PE_OFFSET + 4;
    static final int OPT = COFF + 20;
    static final int OPTIONAL_SIZE = 112 + 16 * 8;
    static final int SECTIONS = OPT + OPTIONAL_SIZE;
    static final int TEXT_HEADER = SECTIONS;
    static final int RELOC_HEADER = SECTIONS + 40;
    static final int RELOC_FILE = 0x400;

    private TinyPe() {
    }

    public static byte[] build() {
        ByteBuffer b = ByteBuffer.allocate(0x600).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x5A4D);
        b.putInt(0x3C, PE_OFFSET);
        b.putInt(PE_OFFSET, 0x00004550);
        b.putShort(COFF, (short) 0x8664);
        b.putShort(COFF + 2, (short) 2);
        b.putShort(COFF + 16, (short) OPTIONAL_SIZE);
        b.putShort(COFF + 18, (short) 0x22);
        b.putShort(OPT, (short) 0x20B);
        b.putInt(OPT + 16, 0x1000); // AddressOfEntryPoint
        b.putLong(OPT + 24, IMAGE_BASE);
        b.putInt(OPT + 32, 0x1000); // SectionAlignment
        b.putInt(OPT + 36, 0x200); // FileAlignment
        b.putInt(OPT + 56, 0x3000); // SizeOfImage
        b.putInt(OPT + 60, 0x200); // SizeOfHeaders
        b.putShort(OPT + 68, (short) 10); // EFI application
        b.putInt(OPT + 108, 16);
        b.putInt(OPT + 112 + 5 * 8, 0x2000); // base relocation directory
        b.putInt(OPT + 112 + 5 * 8 + 4, 12);
        section(b, TEXT_HEADER, ".text", 0x10, 0x1000, 0x200, 0x200, 0x60000020);
        section(b, RELOC_HEADER, ".reloc", 12, 0x2000, 0x200, RELOC_FILE, 0x42000040);
        b.put(0x200, (byte) 0xF4); // hlt
        b.putLong(0x208, IMAGE_BASE + 0x1000); // a pointer to the entry point, patched by the relocation
        b.putInt(RELOC_FILE, 0x1000); // PageRVA
        b.putInt(RELOC_FILE + 4, 12); // SizeOfBlock
        b.putShort(RELOC_FILE + 8, (short) (0xA000 | 0x008)); // DIR64 at 0x1008
        b.putShort(RELOC_FILE + 10, (short) 0); // ABSOLUTE padding
        return b.array();
    }

    private static void section(ByteBuffer b, int at, String name, int virtualSize, int rva, int rawSize,
            int rawOffset, int characteristics) {
        for (int i = 0; i < name.length(); i++) {
            b.put(at + i, (byte) name.charAt(i));
        }
        b.putInt(at + 8, virtualSize);
        b.putInt(at + 12, rva);
        b.putInt(at + 16, rawSize);
        b.putInt(at + 20, rawOffset);
        b.putInt(at + 36, characteristics);
    }
}
