package jgrub.multiboot.mb1;

import java.util.List;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.MemoryRegion;
import jgrub.multiboot.ImagePlacer;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.LeWriter;

/**
 * Writes the Multiboot 1 information structure (Multiboot 0.6.96 section 3.3) and what it points to, laid out as
 * GRUB's {@code grub_multiboot_make_mbi} lays it out: the 120-byte structure, then the command line, the boot loader
 * name, the module list and the module command lines, the memory map, the ELF section headers. Each string is padded
 * to 4 bytes. Fields GRUB fills only from BIOS calls jgrub does not make are left unset as GRUB leaves them when the
 * call fails: APM table, boot device, drives, VBE. For the console jgrub reports the EGA text mode.
 */
public final class Mb1Info {

    /**
     * The structure's size as GRUB lays it out: the specification's fields end at 116, but GRUB's C struct puts the
     * color-info union (a u32 and a u16, so 8 bytes, 4-aligned) at 112, making it 120 bytes; the command line
     * follows at offset 120 (seen in GRUB 2.06's output on QEMU).
     */
    public static final int SIZE = 120;
    public static final long FLAG_MEMORY = 1 << 0;
    public static final long FLAG_CMDLINE = 1 << 2;
    public static final long FLAG_MODS = 1 << 3;
    public static final long FLAG_ELF_SHDR = 1 << 5;
    public static final long FLAG_MEM_MAP = 1 << 6;
    public static final long FLAG_BOOT_LOADER_NAME = 1 << 9;
    public static final long FLAG_FRAMEBUFFER = 1 << 12;

    /** Each memory-map entry: size (20, not counting itself), base u64, length u64, type u32. */
    public static final int MMAP_ENTRY_SIZE = 24;

    public record Contents(byte[] commandLine, byte[] loaderName, List<ImagePlacer.PlacedModule> modules,
            List<MemoryRegion> memoryMap, KernelImage.ElfSections sections, byte[] sectionTable, boolean egaText) {
    }

    private Mb1Info() {
    }

    /** The bytes to put at {@code address}; their pointers are absolute, so the size does not depend on it. */
    public static byte[] build(Contents c, long address) {
        LeWriter w = new LeWriter();
        w.zeros(SIZE);
        long flags = FLAG_MEMORY | FLAG_CMDLINE | FLAG_MEM_MAP | FLAG_BOOT_LOADER_NAME;
        long cmdline = address + w.position();
        w.bytes(c.commandLine()).align(4);
        long name = address + w.position();
        w.bytes(c.loaderName()).align(4);
        long modsAddr = 0;
        if (!c.modules().isEmpty()) {
            flags |= FLAG_MODS;
            modsAddr = address + w.position();
            long cmdAt = modsAddr + 16L * c.modules().size();
            for (ImagePlacer.PlacedModule m : c.modules()) {
                w.u32(m.start()).u32(m.start() + m.size()).u32(cmdAt).u32(0);
                cmdAt += (m.commandLine().length + 3) & ~3;
            }
            for (ImagePlacer.PlacedModule m : c.modules()) {
                w.bytes(m.commandLine()).align(4);
            }
        }
        long mmapAddr = address + w.position();
        for (MemoryRegion r : c.memoryMap()) {
            w.u32(MMAP_ENTRY_SIZE - 4).u64(r.base()).u64(r.length()).u32(r.type().e820());
        }
        long sectionsAddr = 0;
        if (c.sections().count() > 0) {
            flags |= FLAG_ELF_SHDR;
            sectionsAddr = address + w.position();
            w.bytes(c.sectionTable());
        }
        if (c.egaText()) {
            flags |= FLAG_FRAMEBUFFER;
        }
        byte[] out = w.toByteArray();
        LeWriter.put32(out, 0, flags);
        LeWriter.put32(out, 4, GrubMemoryMap.lower(c.memoryMap()) / 1024);
        LeWriter.put32(out, 8, Math.min(GrubMemoryMap.upper(c.memoryMap()) / 1024, 0xffffffffL));
        LeWriter.put32(out, 16, cmdline);
        LeWriter.put32(out, 20, c.modules().size());
        LeWriter.put32(out, 24, modsAddr);
        LeWriter.put32(out, 28, c.sections().count());
        LeWriter.put32(out, 32, c.sections().entrySize());
        LeWriter.put32(out, 36, sectionsAddr);
        LeWriter.put32(out, 40, c.sections().shstrndx());
        LeWriter.put32(out, 44, (long) MMAP_ENTRY_SIZE * c.memoryMap().size());
        LeWriter.put32(out, 48, mmapAddr);
        LeWriter.put32(out, 64, name);
        if (c.egaText()) {
            // framebuffer_addr u64 at 88, pitch 96, width 100, height 104, bpp 108, type 109 (2: EGA text).
            LeWriter.put32(out, 88, 0xb8000);
            LeWriter.put32(out, 96, 2 * 80);
            LeWriter.put32(out, 100, 80);
            LeWriter.put32(out, 104, 25);
            out[108] = 16;
            out[109] = 2;
        }
        return out;
    }
}
