package jgrub.elf;

import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/** The two ELF layouts: field widths and header sizes (System V ABI 4.1 figures 4-3, 5-1; ELF-64 Object File Format). */
public enum ElfClass {
    ELF32("ELF32", 4, 52, 32, 40, 28),
    ELF64("ELF64", 8, 64, 56, 64, 32);

    final String displayName;
    final int wordSize;
    final int ehdrSize;
    final int phdrSize;
    final int shdrSize;
    /** Offset of e_phoff in the ELF header. */
    final int phoffOffset;

    ElfClass(String displayName, int wordSize, int ehdrSize, int phdrSize, int shdrSize, int phoffOffset) {
        this.displayName = displayName;
        this.wordSize = wordSize;
        this.ehdrSize = ehdrSize;
        this.phdrSize = phdrSize;
        this.shdrSize = shdrSize;
        this.phoffOffset = phoffOffset;
    }

    static ElfClass of(Bytes file, int eiClass, int offset) throws ImageFormatException {
        return switch (eiClass) {
            case 1 -> ELF32;
            case 2 -> ELF64;
            default -> throw ImageFormatException.corrupt(file.name() + ": ELF header", "e_ident[EI_CLASS]", eiClass,
                    offset, "is neither ELFCLASS32 (1) nor ELFCLASS64 (2)");
        };
    }

    /** An address-sized field (Elf32_Addr/Off or Elf64_Addr/Off). */
    long word(Bytes file, String structure, String field, long offset) throws ImageFormatException {
        return this == ELF32 ? file.u32(structure, field, offset) : file.u64(structure, field, offset);
    }

    public int wordSize() {
        return wordSize;
    }

    /** Size of one section header as this class defines it. */
    public int sectionHeaderSize() {
        return shdrSize;
    }
}
