package jgrub.multiboot.mb1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.Segment;
import jgrub.compress.Compression;
import jgrub.multiboot.AoutKludge;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ElfLoader;
import jgrub.multiboot.GrubMemoryMap;
import jgrub.multiboot.ImagePlacer;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.LoaderIdentity;
import jgrub.multiboot.Module;
import jgrub.multiboot.MultibootAddresses;
import jgrub.multiboot.Placement;

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

    private Multiboot1(String path, Mb1Header header, KernelImage image, byte[] commandLine, List<Module> modules) {
        this.path = path;
        this.header = header;
        this.image = image;
        this.commandLine = commandLine;
        this.modules = List.copyOf(modules);
    }

    /** Reads the kernel as {@code multiboot PATH ARGS...} would: gzip and xz unpacked, then header and image. */
    public static Multiboot1 load(String path, byte[] file, List<String> arguments, List<Module> modules)
            throws BootException {
        byte[] kernel = Compression.unpack(path, file, Compression.DEFAULT_LIMIT);
        Bytes bytes = new Bytes(path, kernel);
        Mb1Header header = Mb1Header.find(bytes);
        KernelImage image;
        if (header.aout().isPresent()) {
            Mb1Header.Aout a = header.aout().get();
            image = AoutKludge.load(bytes, "Multiboot header", header.offset(), header.offset() + 12, a.headerAddr(),
                    a.loadAddr(), a.loadEndAddr(), a.bssEndAddr(), a.entryAddr());
        } else {
            image = ElfLoader.load(bytes, 1);
        }
        return new Multiboot1(path, header, image, LoaderIdentity.commandLine(arguments), modules);
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
        ImagePlacer.Placed placed = ImagePlacer.place(path, image, Optional.empty(), modules, placement);
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
