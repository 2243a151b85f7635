package jgrub.elf;

import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/** One section header (System V ABI 4.1, "Sections"); {@code fileOffset} is where it was read. */
public record SectionHeader(int index, long fileOffset, long name, long type, long flags, long addr, long offset,
        long size, long link, long info, long addralign, long entsize) {

    static SectionHeader parse(Bytes file, ElfClass c, long at, int index) throws ImageFormatException {
        String s = "ELF section header " + index;
        file.require(s, "entry", at, c.shdrSize);
        if (c == ElfClass.ELF32) {
            return new SectionHeader(index, at, file.u32(s, "sh_name", at), file.u32(s, "sh_type", at + 4),
                    file.u32(s, "sh_flags", at + 8), file.u32(s, "sh_addr", at + 12), file.u32(s, "sh_offset", at + 16),
                    file.u32(s, "sh_size", at + 20), file.u32(s, "sh_link", at + 24), file.u32(s, "sh_info", at + 28),
                    file.u32(s, "sh_addralign", at + 32), file.u32(s, "sh_entsize", at + 36));
        }
        return new SectionHeader(index, at, file.u32(s, "sh_name", at), file.u32(s, "sh_type", at + 4),
                file.u64(s, "sh_flags", at + 8), file.u64(s, "sh_addr", at + 16), file.u64(s, "sh_offset", at + 24),
                file.u64(s, "sh_size", at + 32), file.u32(s, "sh_link", at + 40), file.u32(s, "sh_info", at + 44),
                file.u64(s, "sh_addralign", at + 48), file.u64(s, "sh_entsize", at + 56));
    }

    /** Byte offset of sh_addr inside the header, where a loader writes the address it placed the section at. */
    public static int addrFieldOffset(ElfClass c) {
        return c == ElfClass.ELF32 ? 12 : 16;
    }

    public static String typeName(long type) {
        return switch ((int) type) {
            case 0 -> "NULL";
            case 1 -> "PROGBITS";
            case 2 -> "SYMTAB";
            case 3 -> "STRTAB";
            case 4 -> "RELA";
            case 5 -> "HASH";
            case 6 -> "DYNAMIC";
            case 7 -> "NOTE";
            case 8 -> "NOBITS";
            case 9 -> "REL";
            case 11 -> "DYNSYM";
            default -> "0x" + Long.toHexString(type);
        };
    }
}
