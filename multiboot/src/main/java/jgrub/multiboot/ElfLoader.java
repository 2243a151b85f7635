package jgrub.multiboot;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import jgrub.elf.ElfClass;
import jgrub.elf.ElfFile;
import jgrub.elf.ProgramHeader;
import jgrub.elf.SectionHeader;

/**
 * Loads an ELF32 or ELF64 kernel the way GRUB's {@code multiboot_elfxx.c} does: PT_LOAD segments at {@code p_paddr},
 * {@code p_filesz} bytes from the file and zeros to {@code p_memsz}; program headers within the bytes GRUB reads
 * first (MULTIBOOT_SEARCH: 8 KiB for Multiboot 1, 32 KiB for Multiboot 2); the
 * entry point translated from {@code e_entry} through the segment that contains it; sections without an address kept
 * to be placed anywhere for the ELF-sections info. jgrub additionally refuses what GRUB would silently misload:
 * segments that overlap or run past the file, and any address sum that overflows.
 */
public final class ElfLoader {

    /**
     * GRUB reads the first MULTIBOOT_SEARCH bytes and takes the program headers from that buffer only; the constant is
     * 8192 in multiboot.h and 32768 in multiboot2.h, and multiboot_elfxx.c is built once with each.
     */
    static int programHeaderLimit(int infoVersion) {
        return infoVersion >= 2 ? 32 * 1024 : 8 * 1024;
    }
    private static final long FOUR_GIB = 1L << 32;

    private ElfLoader() {
    }

    /** {@code infoVersion} is 1 or 2: Multiboot 2 refuses relocation sections, Multiboot 1 does not. */
    public static KernelImage load(Bytes file, int infoVersion) throws ImageFormatException {
        ElfFile elf = ElfFile.parse(file);
        String name = file.name();
        ElfClass c = elf.elfClass();
        int wantMachine = c == ElfClass.ELF32 ? ElfFile.EM_386 : ElfFile.EM_X86_64;
        if (elf.machine() != wantMachine) {
            throw ImageFormatException.unsupported(name + ": ELF header", "e_machine", elf.machine(), 18,
                    "is not " + ElfFile.machineName(wantMachine) + " (" + wantMachine + "), which " + elf.className()
                            + " kernels must be");
        }
        if (elf.version() != 1) {
            throw ImageFormatException.unsupported(name + ": ELF header", "e_version", elf.version(), 20,
                    "is not EV_CURRENT (1)");
        }
        if (elf.type() != ElfFile.ET_EXEC && elf.type() != ElfFile.ET_DYN) {
            throw ImageFormatException.unsupported(name + ": ELF header", "e_type", elf.type(), 16,
                    "is not EXEC (2) or DYN (3)");
        }
        long phdrEnd = elf.phoff() + (long) elf.phnum() * elf.phentsize();
        int limit = programHeaderLimit(infoVersion);
        if (phdrEnd > limit) {
            throw ImageFormatException.unsupported(name + ": ELF header", "e_phoff", elf.phoff(),
                    c.wordSize() == 4 ? 28 : 32, "puts the program headers (ending at " + hex(phdrEnd)
                            + ") past the first " + (limit / 1024) + " KiB, where GRUB reads them");
        }

        long linkBase = Long.MAX_VALUE;
        long linkEnd = 0;
        List<KernelImage.Piece> pieces = new ArrayList<>();
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() != ElfFile.PT_LOAD) {
                continue;
            }
            String s = name + ": ELF program header " + ph.index();
            if (ph.filesz() > ph.memsz()) {
                throw ImageFormatException.corrupt(s, "p_filesz", ph.filesz(), ph.fileszOffset(c),
                        "is larger than p_memsz " + hex(ph.memsz()));
            }
            long end = ph.paddr() + ph.memsz(); // both below 2^63 (Bytes refuses larger), so no overflow
            if (end > FOUR_GIB) {
                throw ImageFormatException.unsupported(s, "p_paddr", ph.paddr(), ph.paddrOffset(c),
                        "with p_memsz " + hex(ph.memsz()) + " ends at " + hex(end)
                                + ", above 4 GiB: segment crosses 4 GiB border");
            }
            file.require("program header " + ph.index(), "segment data (p_offset, p_filesz)", ph.offset(),
                    ph.filesz());
            for (ProgramHeader other : loads) {
                if (other.memsz() > 0 && ph.memsz() > 0 && ph.paddr() < other.paddr() + other.memsz()
                        && other.paddr() < end) {
                    throw ImageFormatException.corrupt(s, "p_paddr", ph.paddr(), ph.paddrOffset(c),
                            "with p_memsz " + hex(ph.memsz()) + " overlaps segment " + other.index() + " ["
                                    + hex(other.paddr()) + ", " + hex(other.paddr() + other.memsz()) + ")");
                }
            }
            loads.add(ph);
            linkBase = Math.min(linkBase, ph.paddr());
            linkEnd = Math.max(linkEnd, end);
            pieces.add(new KernelImage.Piece("segment " + ph.index(), ph.paddr(),
                    new Slice(file.array(), (int) ph.offset(), (int) ph.filesz()), ph.memsz()));
        }
        if (loads.isEmpty()) {
            throw ImageFormatException.corrupt(name + ": ELF header", "e_phnum", elf.phnum(),
                    c.wordSize() == 4 ? 44 : 56, "gives no PT_LOAD segment");
        }

        long entry = -1;
        for (ProgramHeader ph : elf.programHeaders()) {
            // GRUB looks through every program header, not only PT_LOAD ones, for the one holding e_entry.
            if (ph.vaddr() <= elf.entry() && elf.entry() - ph.vaddr() < ph.memsz()) {
                entry = elf.entry() - ph.vaddr() + ph.paddr();
                if (c == ElfClass.ELF32) {
                    entry &= 0xffffffffL;
                } else if (entry >= FOUR_GIB) {
                    throw ImageFormatException.unsupported(name + ": ELF header", "e_entry", elf.entry(), 24,
                            "maps to physical " + hex(entry) + ", above 4 GiB: invalid entry point for ELF64");
                }
                break;
            }
        }
        if (entry < 0) {
            throw ImageFormatException.corrupt(name + ": ELF header", "e_entry", elf.entry(), 24,
                    "is not in any segment");
        }
        return new KernelImage(elf.className() + " " + ElfFile.typeName(elf.type()) + " "
                + ElfFile.machineName(elf.machine()), pieces, linkBase, linkEnd, entry, sections(file, elf, infoVersion));
    }

    private static KernelImage.ElfSections sections(Bytes file, ElfFile elf, int infoVersion)
            throws ImageFormatException {
        if (elf.shnum() == 0) {
            return KernelImage.ElfSections.NONE;
        }
        List<KernelImage.LooseSection> loose = new ArrayList<>();
        for (SectionHeader sh : elf.sectionHeaders()) {
            String s = file.name() + ": ELF section header " + sh.index();
            if (infoVersion >= 2 && (sh.type() == ElfFile.SHT_REL || sh.type() == ElfFile.SHT_RELA)) {
                throw ImageFormatException.unsupported(s, "sh_type", sh.type(), sh.fileOffset() + 4,
                        "is " + SectionHeader.typeName(sh.type())
                                + ": ELF files with relocations are not supported by Multiboot 2 (as in GRUB)");
            }
            if (sh.addr() != 0 || sh.size() == 0) {
                continue; // loaded with a segment, or empty: GRUB leaves it as it is
            }
            if (sh.size() > FOUR_GIB) {
                throw ImageFormatException.corrupt(s, "sh_size", sh.size(), sh.fileOffset() + 20, "is absurdly large");
            }
            file.require("section header " + sh.index(), "section data (sh_offset, sh_size)", sh.offset(), sh.size());
            long align = sh.addralign();
            if (align > FOUR_GIB || (align != 0 && Long.bitCount(align) != 1)) {
                throw ImageFormatException.corrupt(s, "sh_addralign", align, sh.fileOffset() + 32,
                        "is not a power of two below 4 GiB");
            }
            loose.add(new KernelImage.LooseSection(sh.index(), sh.size(), Math.max(1, align),
                    new Slice(file.array(), (int) sh.offset(), (int) sh.size())));
        }
        int tableSize = elf.shnum() * elf.shentsize();
        byte[] table = file.slice((int) elf.shoff(), tableSize);
        return new KernelImage.ElfSections(elf.shnum(), elf.shentsize(), elf.shstrndx(), table, loose,
                SectionHeader.addrFieldOffset(elf.elfClass()), elf.elfClass().wordSize());
    }
}
