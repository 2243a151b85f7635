package jgrub.multiboot;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.GuestAllocator;
import jgrub.boot.Segment;

/**
 * Places a loaded kernel, its address-less ELF sections and its modules, in GRUB's order (the kernel when
 * {@code multiboot} runs, which loads the sections too, then each {@code module} in turn); the info structure comes
 * last, at boot. Flexible placements start at 1 MiB: GRUB's relocator may use low memory, but below 1 MiB are the
 * BIOS data, the EBDA, the initial stack and the room a kernel needs for its real-mode trampoline (Xen takes it from
 * the top of base memory), and nothing there is needed by a Multiboot kernel.
 */
public final class ImagePlacer {

    /** Lowest address for modules (GRUB's own choice for Multiboot 1: {@code lowest_addr = 0x100000}) and sections. */
    public static final long FLEXIBLE_MIN = 0x100000;
    /** GRUB page-aligns every module (MULTIBOOT_MOD_ALIGN), whatever the header asks. */
    public static final long MODULE_ALIGN = 0x1000;
    public static final long TOP_32 = 0xffffffffL;

    /** Where a relocatable image may go (MB2 tag 10), already checked against its size. */
    public record Relocation(long min, long max, long align, boolean high) {
    }

    public record PlacedModule(String path, long start, long size, byte[] commandLine) {
    }

    /** The result: load base, the shift from link to load addresses, all segments, the patched section table. */
    public record Placed(long loadBase, long shift, List<Segment> segments, byte[] sectionTable,
            List<PlacedModule> modules) {
    }

    private ImagePlacer() {
    }

    public static Placed place(String imageName, KernelImage image, Optional<Relocation> relocation,
            List<Module> modules, long modulesMin, GuestAllocator placement) throws BootException {
        List<Segment> segments = new ArrayList<>();
        long loadBase = image.linkBase();
        if (relocation.isPresent()) {
            Relocation r = relocation.get();
            // GRUB: one chunk for the whole image, start in [min, max - size], aligned, low or high first.
            loadBase = placement.allocate(imageName + " (relocatable image)", r.min(), r.max() - image.size(),
                    image.size(), r.align(), r.high());
        }
        long shift = loadBase - image.linkBase();
        for (KernelImage.Piece piece : image.pieces()) {
            long address = piece.address() + shift;
            if (relocation.isEmpty()) {
                placement.claim(imageName + " " + piece.name(), address, piece.memorySize());
            }
            segments.add(new Segment(imageName + " " + piece.name(), address, piece.contents(), piece.memorySize()));
        }

        KernelImage.ElfSections sections = image.sections();
        byte[] table = sections.table().clone();
        for (KernelImage.LooseSection section : sections.loose()) {
            String name = imageName + " ELF section " + section.index();
            long address = placement.allocate(name, FLEXIBLE_MIN, TOP_32 + 1 - section.size(), section.size(),
                    section.align(), false);
            int field = section.index() * sections.entrySize() + sections.addrFieldOffset();
            LeWriter.put32(table, field, address);
            if (sections.addrFieldWidth() == 8) {
                LeWriter.put32(table, field + 4, 0);
            }
            segments.add(new Segment(name, address, section.contents(), section.size()));
        }

        List<PlacedModule> placedModules = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i);
            long size = m.contents().size();
            String name = "module " + (i + 1) + " (" + m.path() + ")";
            if (size > TOP_32) {
                throw new BootException(name + ": " + hex(size) + " bytes do not fit below 4 GiB");
            }
            long start = 0; // GRUB gives an empty module address 0 and places nothing
            if (size > 0) {
                start = placement.allocate(name, modulesMin, TOP_32 + 1 - size, size, MODULE_ALIGN, false);
                segments.add(new Segment(name, start, m.contents(), size));
            }
            placedModules.add(new PlacedModule(m.path(), start, size, m.commandLine()));
        }
        return new Placed(loadBase, shift, segments, table, placedModules);
    }
}
