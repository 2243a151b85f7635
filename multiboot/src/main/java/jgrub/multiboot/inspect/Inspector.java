package jgrub.multiboot.inspect;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import jgrub.compress.Compression;
import jgrub.elf.ElfFile;
import jgrub.elf.ProgramHeader;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.mb1.Mb1Header;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.HeaderTag;
import jgrub.multiboot.mb2.Mb2Header;
import jgrub.multiboot.mb2.Multiboot2;

/**
 * What a kernel file is, for {@code jgrub inspect}: its container (gzip, xz), its executable format (ELF, or PE/COFF
 * named only), its Multiboot 1 and 2 headers with every field and tag decoded, and where GRUB would load and enter it.
 * A malformed file gives the loader's own one-line error, which names the field and its offset.
 */
public final class Inspector {

    private Inspector() {
    }

    public static List<String> describe(String name, byte[] file) throws BootException {
        List<String> out = new ArrayList<>();
        Compression compression = Compression.detect(file);
        byte[] data = Compression.unpack(name, file, Compression.DEFAULT_LIMIT);
        if (compression != Compression.NONE) {
            out.add(name + ": " + compression.displayName() + ", " + file.length + " bytes, unpacks to " + data.length
                    + " bytes");
        } else {
            out.add(name + ": " + file.length + " bytes");
        }
        Bytes bytes = new Bytes(name, data);
        boolean known = false;
        boolean pe = data.length >= 2 && data[0] == 'M' && data[1] == 'Z';
        if (ElfFile.isElf(data)) {
            elf(out, ElfFile.parse(bytes));
            known = true;
        } else if (pe) {
            pe(out, bytes);
            known = true;
        }
        if (Mb1Header.present(data)) {
            multiboot1(out, name, file, bytes, pe);
            known = true;
        }
        if (Mb2Header.present(data)) {
            multiboot2(out, name, file, bytes, pe);
            known = true;
        }
        if (!known) {
            throw new ImageFormatException(name + ": neither ELF nor PE/COFF, and no Multiboot header in the first "
                    + "32 KiB: not a kernel image jgrub knows (unsupported)");
        }
        return out;
    }

    private static void elf(List<String> out, ElfFile elf) {
        out.add(elf.className() + " " + ElfFile.typeName(elf.type()) + " " + ElfFile.machineName(elf.machine())
                + " (e_machine " + elf.machine() + "), entry " + hex(elf.entry()));
        for (ProgramHeader ph : elf.programHeaders()) {
            out.add("  program header " + ph.index() + ": " + ProgramHeader.typeName(ph.type()) + " offset "
                    + hex(ph.offset()) + " vaddr " + hex(ph.vaddr()) + " paddr " + hex(ph.paddr()) + " filesz "
                    + hex(ph.filesz()) + " memsz " + hex(ph.memsz()));
        }
        out.add("  " + elf.shnum() + " section headers at offset " + hex(elf.shoff()) + ", names in section "
                + elf.shstrndx());
    }

    /** Only what says which PE it is; the chainload module parses PE/COFF in full. */
    private static void pe(List<String> out, Bytes b) throws ImageFormatException {
        long lfanew = b.u32("DOS header", "e_lfanew", 0x3c);
        long signature = b.u32("PE header", "Signature", lfanew);
        if (signature != 0x4550) {
            throw ImageFormatException.corrupt(b.name() + ": PE header", "Signature", signature, lfanew,
                    "is not \"PE\\0\\0\"");
        }
        int machine = b.u16("COFF header", "Machine", lfanew + 4);
        int magic = b.u16("optional header", "Magic", lfanew + 24);
        String kind = magic == 0x20b ? "PE32+" : magic == 0x10b ? "PE32" : "PE (optional header magic " + hex(magic)
                + ")";
        String arch = switch (machine) {
            case 0x8664 -> "x86-64";
            case 0x14c -> "i386";
            case 0xaa64 -> "AArch64";
            default -> "unknown";
        };
        out.add(kind + " " + arch + " (Machine " + hex(machine) + "), PE header at offset " + hex(lfanew));
        // A Linux bzImage is also a PE (EFI stub); its boot protocol header says so (Linux boot.rst, "HdrS" at 0x202).
        if (b.size() >= 0x208 && b.u32("Linux setup header", "header", 0x202) == 0x53726448L) {
            int version = b.u16("Linux setup header", "version", 0x206);
            out.add("Linux kernel (bzImage), boot protocol " + (version >> 8) + "." + String.format("%02d",
                    version & 0xff));
        }
    }

    /**
     * A PE file (xen.efi) may carry Multiboot headers that only its ELF twin uses; GRUB's multiboot commands refuse
     * such a file, which is worth saying but does not make the file malformed.
     */
    private static boolean notLoadable(List<String> out, boolean pe, ImageFormatException e)
            throws ImageFormatException {
        if (!pe) {
            throw e;
        }
        out.add("  not loadable by GRUB's multiboot commands: " + e.getMessage());
        return true;
    }

    private static void multiboot1(List<String> out, String name, byte[] file, Bytes bytes, boolean pe)
            throws BootException {
        Mb1Header h = Mb1Header.find(bytes);
        List<String> names = new ArrayList<>();
        if ((h.flags() & Mb1Header.PAGE_ALIGN) != 0) {
            names.add("page-align modules");
        }
        if ((h.flags() & Mb1Header.MEMORY_INFO) != 0) {
            names.add("memory info");
        }
        if ((h.flags() & Mb1Header.VIDEO_MODE) != 0) {
            names.add("video mode");
        }
        if ((h.flags() & Mb1Header.AOUT_KLUDGE) != 0) {
            names.add("a.out kludge");
        }
        out.add("Multiboot header at offset " + hex(h.offset()) + ": flags " + hex(h.flags()) + " (" + String.join(", ",
                names) + "), checksum " + hex(h.checksum()));
        h.aout().ifPresent(a -> out.add("  header_addr " + hex(a.headerAddr()) + " load_addr " + hex(a.loadAddr())
                + " load_end_addr " + hex(a.loadEndAddr()) + " bss_end_addr " + hex(a.bssEndAddr()) + " entry_addr "
                + hex(a.entryAddr())));
        h.video().ifPresent(v -> out.add("  mode_type " + v.modeType() + (v.modeType() == 1 ? " (EGA text)"
                : " (linear graphics)") + " width " + v.width() + " height " + v.height() + " depth " + v.depth()));
        KernelImage image;
        try {
            image = Multiboot1.load(name, file, List.of(), List.of()).image();
        } catch (ImageFormatException e) {
            notLoadable(out, pe, e);
            return;
        }
        out.add("  loads " + image.format() + " at [" + hex(image.linkBase()) + ", " + hex(image.linkEnd())
                + "), entry " + hex(image.entry()) + " (32-bit, EAX 0x2badb002)");
    }

    private static void multiboot2(List<String> out, String name, byte[] file, Bytes bytes, boolean pe)
            throws BootException {
        Mb2Header h = Mb2Header.find(bytes);
        out.add("Multiboot 2 header at offset " + hex(h.offset()) + ": architecture " + h.architecture()
                + (h.architecture() == 0 ? " (i386)" : "") + ", header_length " + hex(h.headerLength())
                + ", checksum " + hex(h.checksum()));
        for (HeaderTag tag : h.tags()) {
            out.add("  tag " + tag.type() + " " + HeaderTag.describeType(tag.type()) + " ("
                    + (tag.optional() ? "optional" : "required") + ") at offset " + hex(tag.offset())
                    + HeaderTag.describeFields(tag));
        }
        Multiboot2 bios;
        try {
            bios = Multiboot2.load(name, file, List.of(), List.of(), Platform.PC);
        } catch (ImageFormatException e) {
            notLoadable(out, pe, e);
            return;
        }
        KernelImage image = bios.image();
        String relocatable = h.tags().stream().anyMatch(t -> t instanceof HeaderTag.Relocatable)
                ? " (relocatable: link addresses shown)" : "";
        out.add("  loads " + image.format() + " at [" + hex(image.linkBase()) + ", " + hex(image.linkEnd()) + ")"
                + relocatable);
        out.add("  BIOS entry " + hex(bios.linkEntry()) + " (32-bit, EAX 0x36d76289)");
        try {
            Multiboot2 efi = Multiboot2.load(name, file, List.of(), List.of(),
                    Platform.EFI);
            out.add("  EFI entry " + hex(efi.linkEntry()) + " (64-bit, boot services kept, EAX 0x36d76289)");
        } catch (ImageFormatException e) {
            out.add("  EFI: " + e.getMessage());
        }
    }
}
