package jgrub.multiboot;

import java.util.List;
import jgrub.boot.Contents;

/**
 * A kernel read and checked by GRUB's rules but not yet placed: its pieces at their link-time physical addresses,
 * the range they span, the entry point and the ELF section headers for the info structure. A relocatable image (MB2
 * tag 10) is later moved as a whole, so that every piece keeps its offset from {@link #linkBase}.
 */
public record KernelImage(String format, List<Piece> pieces, long linkBase, long linkEnd, long entry,
        ElfSections sections) {

    public KernelImage {
        pieces = List.copyOf(pieces);
    }

    /** Bytes at a link-time address, then zeros up to {@code memorySize} (BSS). */
    public record Piece(String name, long address, Contents contents, long memorySize) {
    }

    /** Bytes of a section that has no address (sh_addr 0) and that GRUB loads anywhere, writing the address back. */
    public record LooseSection(int index, long size, long align, Contents contents) {
    }

    /**
     * The section header table as the MB1 ELF_SHDR field and the MB2 ELF-sections tag pass it on: {@code count}
     * entries of {@code entrySize} bytes; {@code loose} sections get their sh_addr field (at {@code addrFieldOffset},
     * {@code addrFieldWidth} bytes wide) set to where they were placed.
     */
    public record ElfSections(int count, int entrySize, int shstrndx, byte[] table, List<LooseSection> loose,
            int addrFieldOffset, int addrFieldWidth) {

        public static final ElfSections NONE = new ElfSections(0, 0, 0, new byte[0], List.of(), 0, 4);

        public ElfSections {
            loose = List.copyOf(loose);
        }
    }

    public long size() {
        return linkEnd - linkBase;
    }
}
