package jgrub.elf;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/**
 * An ELF32 or ELF64 little-endian file's header, program headers and section headers, read with every offset and
 * count checked against the file (System V ABI, "ELF Header", "Program Header", "Sections"). The class is chosen once,
 * from {@code e_ident[EI_CLASS]}, and decides the field layout through {@link ElfClass}.
 */
public record ElfFile(ElfClass elfClass, int type, int machine, long version, long entry, long phoff, int phentsize,
        int phnum, long shoff, int shentsize, int shnum, int shstrndx, List<ProgramHeader> programHeaders,
        List<SectionHeader> sectionHeaders) {

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int PT_LOAD = 1;
    public static final int SHT_RELA = 4;
    public static final int SHT_REL = 9;

    // e_ident (System V ABI 4.1, figure 4-3).
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final int ELFDATA2LSB = 1;
    /** e_phnum value meaning "the real count is in section header 0's sh_info" (PN_XNUM). */
    private static final int PN_XNUM = 0xffff;
    /** e_shstrndx value meaning "the real index is in section header 0's sh_link" (SHN_XINDEX). */
    private static final int SHN_XINDEX = 0xffff;

    public ElfFile {
        programHeaders = List.copyOf(programHeaders);
        sectionHeaders = List.copyOf(sectionHeaders);
    }

    public static boolean isElf(byte[] data) {
        return data.length >= 4 && data[0] == 0x7f && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }

    /** Reads and checks the headers; loaders add their own rules (where program headers may lie, which types). */
    public static ElfFile parse(Bytes file) throws ImageFormatException {
        String s = "ELF header";
        file.require(s, "e_ident", 0, 16);
        if (!isElf(file.array())) {
            throw ImageFormatException.corrupt(file.name() + ": " + s, "e_ident[EI_MAG]", file.u32(s, "magic", 0), 0,
                    "is not 0x7f 'E' 'L' 'F'");
        }
        ElfClass elfClass = ElfClass.of(file, file.u8(s, "e_ident[EI_CLASS]", EI_CLASS), EI_CLASS);
        int data = file.u8(s, "e_ident[EI_DATA]", EI_DATA);
        if (data != ELFDATA2LSB) {
            throw ImageFormatException.unsupported(file.name() + ": " + s, "e_ident[EI_DATA]", data, EI_DATA,
                    "is not little-endian (ELFDATA2LSB)");
        }
        file.require(s, "header", 0, elfClass.ehdrSize);
        int type = file.u16(s, "e_type", 16);
        int machine = file.u16(s, "e_machine", 18);
        long version = file.u32(s, "e_version", 20);
        long entry = elfClass.word(file, s, "e_entry", 24);
        long phoff = elfClass.word(file, s, "e_phoff", elfClass.phoffOffset);
        long shoff = elfClass.word(file, s, "e_shoff", elfClass.phoffOffset + elfClass.wordSize);
        int base = elfClass.phoffOffset + 2 * elfClass.wordSize + 4 /* e_flags */;
        int phentsize = file.u16(s, "e_phentsize", base + 2);
        int phnum = file.u16(s, "e_phnum", base + 4);
        int shentsize = file.u16(s, "e_shentsize", base + 6);
        int shnum = file.u16(s, "e_shnum", base + 8);
        int shstrndx = file.u16(s, "e_shstrndx", base + 10);

        // Extended numbering (System V ABI 4.1 "Sections", section header 0): counts too large for 16 bits.
        if (shoff != 0 && (shnum == 0 || phnum == PN_XNUM || shstrndx == SHN_XINDEX)) {
            requireEntrySize(file, "e_shentsize", shentsize, elfClass.shdrSize, base + 6);
            SectionHeader zero = SectionHeader.parse(file, elfClass, shoff, 0);
            if (shnum == 0) {
                shnum = checkCount(file, "section header 0 sh_size (e_shnum)", zero.size(), shoff);
            }
            if (phnum == PN_XNUM) {
                phnum = checkCount(file, "section header 0 sh_info (e_phnum)", zero.info(), shoff);
            }
            if (shstrndx == SHN_XINDEX) {
                shstrndx = checkCount(file, "section header 0 sh_link (e_shstrndx)", zero.link(), shoff);
            }
        }
        if (phnum > 0) {
            requireEntrySize(file, "e_phentsize", phentsize, elfClass.phdrSize, base + 2);
        }
        List<ProgramHeader> phdrs = new ArrayList<>();
        if (phnum > 0) {
            file.require("program headers", "e_phoff + e_phnum * e_phentsize", phoff, (long) phnum * phentsize);
            for (int i = 0; i < phnum; i++) {
                phdrs.add(ProgramHeader.parse(file, elfClass, phoff + (long) i * phentsize, i));
            }
        }
        List<SectionHeader> shdrs = new ArrayList<>();
        if (shnum > 0) {
            requireEntrySize(file, "e_shentsize", shentsize, elfClass.shdrSize, base + 6);
            file.require("section headers", "e_shoff + e_shnum * e_shentsize", shoff, (long) shnum * shentsize);
            for (int i = 0; i < shnum; i++) {
                shdrs.add(SectionHeader.parse(file, elfClass, shoff + (long) i * shentsize, i));
            }
        }
        if (shnum > 0 && shstrndx >= shnum) {
            throw ImageFormatException.corrupt(file.name() + ": " + s, "e_shstrndx", shstrndx, base + 10,
                    "is not below e_shnum " + hex(shnum));
        }
        return new ElfFile(elfClass, type, machine, version, entry, phoff, phentsize, phnum, shoff, shentsize, shnum,
                shstrndx, phdrs, shdrs);
    }

    private static void requireEntrySize(Bytes file, String field, int value, int minimum, int offset)
            throws ImageFormatException {
        if (value < minimum) {
            throw ImageFormatException.corrupt(file.name() + ": ELF header", field, value, offset,
                    "is smaller than the entry it describes (" + hex(minimum) + " bytes)");
        }
    }

    private static int checkCount(Bytes file, String field, long value, long offset) throws ImageFormatException {
        if (value > 0xffffff) {
            throw ImageFormatException.corrupt(file.name() + ": ELF section header 0", field, value, offset,
                    "is absurdly large");
        }
        return (int) value;
    }

    /** "ELF32" or "ELF64". */
    public String className() {
        return elfClass.displayName;
    }

    public static String typeName(int type) {
        return switch (type) {
            case ET_REL -> "REL";
            case ET_EXEC -> "EXEC";
            case ET_DYN -> "DYN";
            case 4 -> "CORE";
            default -> "unknown";
        };
    }

    public static String machineName(int machine) {
        return switch (machine) {
            case EM_386 -> "i386";
            case EM_X86_64 -> "x86-64";
            case 40 -> "ARM";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            default -> "unknown";
        };
    }
}
