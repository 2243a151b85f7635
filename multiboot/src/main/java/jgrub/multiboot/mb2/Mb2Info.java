package jgrub.multiboot.mb2;

import java.util.List;
import java.util.Optional;
import jgrub.boot.Firmware;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.MemoryRegion;
import jgrub.multiboot.ImagePlacer;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.LeWriter;

/**
 * Writes the Multiboot 2 boot information (Multiboot 2 specification section 3.6): an 8-byte fixed part (total size,
 * reserved) and tags, each padded to 8 bytes, in the order GRUB's {@code grub_multiboot2_make_mbi} writes them: load
 * base address (21), command line (1), boot loader name (2), modules (3), memory map (6), ELF sections (9), basic
 * memory information (4), framebuffer (8), EFI 64-bit system table (12), ACPI old (14) and new (15) RSDP, EFI boot
 * services not terminated (18) with EFI 64-bit image handle (20), end (0). Tags GRUB writes only where jgrub has
 * nothing to report are left out as GRUB leaves them out: APM (10, no APM BIOS is asked), network (16, no PXE),
 * boot device (5, the disk is no BIOS drive of the machine), VBE (7, no VBE mode is set).
 */
public final class Mb2Info {

    public static final int TAG_END = 0;
    public static final int TAG_CMDLINE = 1;
    public static final int TAG_BOOT_LOADER_NAME = 2;
    public static final int TAG_MODULE = 3;
    public static final int TAG_BASIC_MEMINFO = 4;
    public static final int TAG_MMAP = 6;
    public static final int TAG_FRAMEBUFFER = 8;
    public static final int TAG_ELF_SECTIONS = 9;
    public static final int TAG_EFI64 = 12;
    public static final int TAG_ACPI_OLD = 14;
    public static final int TAG_ACPI_NEW = 15;
    public static final int TAG_EFI_BS = 18;
    public static final int TAG_EFI64_IH = 20;
    public static final int TAG_LOAD_BASE_ADDR = 21;

    /** Size of one memory-map entry (base u64, length u64, type u32, reserved u32), entry version 0. */
    public static final int MMAP_ENTRY_SIZE = 24;
    private static final int ALIGN = 8;
    /** VGA text memory, and the 80x25 text mode GRUB reports when it leaves the console in text mode. */
    private static final long EGA_TEXT_BUFFER = 0xb8000;
    private static final int FRAMEBUFFER_TYPE_EGA_TEXT = 2;

    /** EFI handoff values (tags 12, 18, 20) for the EFI variant; empty on the BIOS path. */
    public record Efi(long systemTable, long imageHandle) {
    }

    /** Everything the info block says. */
    public record Contents(long loadBase, byte[] commandLine, byte[] loaderName, List<ImagePlacer.PlacedModule> modules,
            List<MemoryRegion> memoryMap, KernelImage.ElfSections sections, byte[] sectionTable, boolean egaText,
            Optional<Efi> efi, Optional<Firmware.AcpiRsdp> rsdp) {
    }

    private Mb2Info() {
    }

    public static byte[] build(Contents c) {
        LeWriter w = new LeWriter();
        w.u32(0).u32(0); // total_size patched at the end, reserved
        boolean keepBootServices = c.efi().isPresent();

        tag(w, TAG_LOAD_BASE_ADDR, 12).u32(c.loadBase());
        end(w);
        tag(w, TAG_CMDLINE, 8 + c.commandLine().length).bytes(c.commandLine());
        end(w);
        tag(w, TAG_BOOT_LOADER_NAME, 8 + c.loaderName().length).bytes(c.loaderName());
        end(w);
        for (ImagePlacer.PlacedModule m : c.modules()) {
            tag(w, TAG_MODULE, 16 + m.commandLine().length).u32(m.start()).u32(m.start() + m.size())
                    .bytes(m.commandLine());
            end(w);
        }
        if (!keepBootServices) {
            tag(w, TAG_MMAP, 16 + MMAP_ENTRY_SIZE * c.memoryMap().size()).u32(MMAP_ENTRY_SIZE).u32(0);
            for (MemoryRegion r : c.memoryMap()) {
                w.u64(r.base()).u64(r.length()).u32(r.type().e820()).u32(0);
            }
            end(w);
        }
        // GRUB writes the ELF-sections tag always, with zero entries for an image without section headers.
        KernelImage.ElfSections s = c.sections();
        tag(w, TAG_ELF_SECTIONS, 20 + c.sectionTable().length).u32(s.count()).u32(s.entrySize()).u32(s.shstrndx())
                .bytes(c.sectionTable());
        end(w);
        if (!keepBootServices) {
            tag(w, TAG_BASIC_MEMINFO, 16).u32(GrubMemoryMap.lower(c.memoryMap()) / 1024)
                    .u32(Math.min(GrubMemoryMap.upper(c.memoryMap()) / 1024, 0xffffffffL));
            end(w);
        }
        if (c.egaText()) {
            tag(w, TAG_FRAMEBUFFER, 32).u64(EGA_TEXT_BUFFER).u32(2 * 80).u32(80).u32(25).u8(16)
                    .u8(FRAMEBUFFER_TYPE_EGA_TEXT).u16(0);
            end(w);
        }
        c.efi().ifPresent(efi -> {
            tag(w, TAG_EFI64, 16).u64(efi.systemTable());
            end(w);
        });
        c.rsdp().ifPresent(rsdp -> acpi(w, rsdp, keepBootServices));
        c.efi().ifPresent(efi -> {
            tag(w, TAG_EFI_BS, 8);
            end(w);
            tag(w, TAG_EFI64_IH, 16).u64(efi.imageHandle());
            end(w);
        });
        tag(w, TAG_END, 8);
        byte[] info = w.toByteArray();
        LeWriter.put32(info, 0, info.length);
        return info;
    }

    /**
     * GRUB copies the RSDP it finds: on a PC BIOS the 20-byte ACPI 1.0 one only if its revision is 0, the ACPI 2.0
     * one (length from its own field) only if not; on EFI both configuration tables point at one RSDP, so an ACPI 2.0
     * RSDP gives both tags.
     */
    private static void acpi(LeWriter w, Firmware.AcpiRsdp rsdp, boolean efi) {
        byte[] b = rsdp.bytes();
        boolean v1 = rsdp.revision() == 0;
        if ((v1 || efi) && b.length >= 20) {
            tag(w, TAG_ACPI_OLD, 8 + 20).bytes(java.util.Arrays.copyOf(b, 20));
            end(w);
        }
        if (!v1 && b.length >= 36) {
            tag(w, TAG_ACPI_NEW, 8 + b.length).bytes(b);
            end(w);
        }
    }

    private static LeWriter tag(LeWriter w, int type, long size) {
        return w.u32(type).u32(size);
    }

    private static void end(LeWriter w) {
        w.align(ALIGN);
    }
}
