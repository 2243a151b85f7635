package jgrub.multiboot.mb1;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.Placement;
import jgrub.boot.Segment;
import jgrub.compress.Compression;
import jgrub.elf.ElfFile;
import jgrub.multiboot.AoutKludge;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ElfLoader;
import jgrub.multiboot.ImagePlacer;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.LoaderIdentity;
import jgrub.multiboot.Module;
import jgrub.multiboot.MultibootAddresses;

/**
 * GRUB's {@code multiboot} and {@code module} commands (i386-pc) as a boot protocol: the header is checked and the
 * image loaded when this is made (a.out kludge when flags bit 16 is set, else ELF), {@link #plan} places the image,
 * modules and information structure in the firmware's memory; entry in 32-bit protected mode with EAX = 0x2BADB002
 * and EBX = the structure (Multiboot 0.6.96 section 3.2).
 */
public final class Multiboot1 implements BootProtocol {

    public static final int BOOTLOADER_MAGIC = 0x2BADB002;

    private final String path;
    private final Mb1Header header;
    private final KernelImage image;
    private final byte[] commandLine;
    private final List<Module> modules;
    private final Set<Quirk> quirks;

    /** GRUB's {@code multiboot} options for kernels that break the specification. */
    public enum Quirk {
        /** {@code --quirk-bad-kludge}: load as ELF if the file is ELF, even when the a.out-kludge flag is set. */
        BAD_KLUDGE,
        /** {@code --quirk-modules-after-kernel}: modules at least 1 MiB past the end of the ELF image. */
        MODULES_AFTER_KERNEL
    }

    private Multiboot1(String path, Mb1Header header, KernelImage image, byte[] commandLine, List<Module> modules,
            Set<Quirk> quirks) {
        this.path = path;
        this.header = header;
        this.image = image;
        this.commandLine = commandLine;
        this.modules = List.copyOf(modules);
        this.quirks = quirks.isEmpty() ? EnumSet.noneOf(Quirk.class) : EnumSet.copyOf(quirks);
    }

    /**
     * Reads the kernel as {@code multiboot [QUIRKS] PATH ARGS...} would: gzip and xz unpacked, then header and
     * image, all checked. {@code arguments} are the words after the path. Modules come with {@link #withModule}.
     */
    public static Multiboot1 load(String path, byte[] file, List<String> arguments, Set<Quirk> quirks)
            throws BootException {
        byte[] kernel = Compression.unpack(path, file, Compression.DEFAULT_LIMIT);
        Bytes bytes = new Bytes(path, kernel);
        Mb1Header header = Mb1Header.find(bytes);
        KernelImage image;
        boolean elfFirst = quirks.contains(Quirk.BAD_KLUDGE) && ElfFile.isElf(kernel);
        if (header.aout().isPresent() && !elfFirst) {
            Mb1Header.Aout a = header.aout().get();
            image = AoutKludge.load(bytes, "Multiboot header", header.offset(), header.offset() + 12, a.headerAddr(),
                    a.loadAddr(), a.loadEndAddr(), a.bssEndAddr(), a.entryAddr());
        } else {
            image = ElfLoader.load(bytes, 1);
        }
        return new Multiboot1(path, header, image, LoaderIdentity.commandLine(arguments), List.of(), quirks);
    }

    /** The kernel and its modules at once, without quirks. */
    public static Multiboot1 load(String path, byte[] file, List<String> arguments, List<Module> modules)
            throws BootException {
        Multiboot1 kernel = load(path, file, arguments, Set.of());
        return new Multiboot1(path, kernel.header, kernel.image, kernel.commandLine, modules, kernel.quirks);
    }

    /** {@code module ...} after this kernel: the same kernel with one more module, last. */
    public Multiboot1 withModule(Module module) {
        List<Module> more = new ArrayList<>(modules);
        more.add(module);
        return new Multiboot1(path, header, image, commandLine, more, quirks);
    }

    public Mb1Header header() {
        return header;
    }

    public KernelImage image() {
        return image;
    }

    @Override
    public BootPlan plan(Firmware firmware) throws BootException {
        Placement placement = new Placement(firmware);
        // GRUB: modules from 1 MiB, or with --quirk-modules-after-kernel from 1 MiB past the ELF image's end
        // (its highest_load, which stays 0 for an a.out-kludge image).
        long modulesMin = ImagePlacer.FLEXIBLE_MIN;
        if (quirks.contains(Quirk.MODULES_AFTER_KERNEL)) {
            long highest = image.format().equals(AoutKludge.FORMAT) ? 0 : image.linkEnd();
            modulesMin = (highest + 0x100000 + 0xfff) & ~0xfffL;
        }
        ImagePlacer.Placed placed = ImagePlacer.place(path, image, Optional.empty(), modules, modulesMin, placement);
        Mb1Info.Contents contents = new Mb1Info.Contents(commandLine,
                LoaderIdentity.cString(LoaderIdentity.loaderName()), placed.modules(),
                GrubMemoryMap.normalize(firmware.memoryMap()), image.sections(), placed.sectionTable(), true);
        int size = Mb1Info.build(contents, 0).length;
        long address = placement.allocate("Multiboot information", MultibootAddresses.MB1_INFO_MIN,
                MultibootAddresses.MB1_INFO_END - size, size, 4, false);
        List<Segment> segments = new ArrayList<>(placed.segments());
        segments.add(Segment.of("Multiboot information", address, Mb1Info.build(contents, address)));
        return new BootPlan("Multiboot", segments, new EntryState.Protected32((int) image.entry(), BOOTLOADER_MAGIC,
                (int) address, MultibootAddresses.INITIAL_STACK));
    }
}
