package jgrub.elf;

import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/** One program header (System V ABI 5.1, "Program Header"); {@code fileOffset} is where it was read. */
public record ProgramHeader(int index, long fileOffset, long type, long flags, long offset, long vaddr, long paddr,
        long filesz, long memsz, long align) {

    static ProgramHeader parse(Bytes file, ElfClass c, long at, int index) throws ImageFormatException {
        String s = "ELF program header " + index;
        file.require(s, "entry", at, c.phdrSize);
        if (c == ElfClass.ELF32) {
            return new ProgramHeader(index, at, file.u32(s, "p_type", at), file.u32(s, "p_flags", at + 24),
                    file.u32(s, "p_offset", at + 4), file.u32(s, "p_vaddr", at + 8), file.u32(s, "p_paddr", at + 12),
                    file.u32(s, "p_filesz", at + 16), file.u32(s, "p_memsz", at + 20), file.u32(s, "p_align", at + 28));
        }
        return new ProgramHeader(index, at, file.u32(s, "p_type", at), file.u32(s, "p_flags", at + 4),
                file.u64(s, "p_offset", at + 8), file.u64(s, "p_vaddr", at + 16), file.u64(s, "p_paddr", at + 24),
                file.u64(s, "p_filesz", at + 32), file.u64(s, "p_memsz", at + 40), file.u64(s, "p_align", at + 48));
    }

    /** Byte offset of p_paddr within this header, for messages. */
    public long paddrOffset(ElfClass c) {
        return fileOffset + (c == ElfClass.ELF32 ? 12 : 24);
    }

    public long fileszOffset(ElfClass c) {
        return fileOffset + (c == ElfClass.ELF32 ? 16 : 32);
    }

    public long memszOffset(ElfClass c) {
        return fileOffset + (c == ElfClass.ELF32 ? 20 : 40);
    }

    public long offsetOffset(ElfClass c) {
        return fileOffset + (c == ElfClass.ELF32 ? 4 : 8);
    }

    public static String typeName(long type) {
        return switch ((int) type) {
            case 0 -> "NULL";
            case 1 -> "LOAD";
            case 2 -> "DYNAMIC";
            case 3 -> "INTERP";
            case 4 -> "NOTE";
            case 6 -> "PHDR";
            case 7 -> "TLS";
            case 0x6474e550 -> "GNU_EH_FRAME";
            case 0x6474e551 -> "GNU_STACK";
            case 0x6474e552 -> "GNU_RELRO";
            default -> "0x" + Long.toHexString(type);
        };
    }
}
