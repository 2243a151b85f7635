package jgrub.multiboot.mb2;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.GuestAllocator;
import jgrub.boot.Placement;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.compress.Compression;
import jgrub.multiboot.AoutKludge;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ElfLoader;
import jgrub.multiboot.ImageFormatException;
import jgrub.multiboot.ImagePlacer;
import jgrub.multiboot.KernelImage;
import jgrub.multiboot.LoaderIdentity;
import jgrub.multiboot.Module;
import jgrub.multiboot.MultibootAddresses;

/**
 * GRUB's {@code multiboot2} and {@code module2} commands as a boot protocol. Made from the kernel file, the words after
 * its path and the modules, it checks the header and loads the image at once, honouring or refusing each header tag
 * as GRUB's {@code grub_multiboot2_load} does, so a bad image is refused before any machine starts. {@link #plan}
 * places everything in the firmware's memory and writes the boot information.
 *
 * <p>Two platforms, as GRUB's two builds: {@link Platform#PC} (i386-pc: EFI tags 7 and 9 are ignored, 32-bit entry
 * with EAX = 0x36d76289, EBX = info) and {@link Platform#EFI} (x86_64-efi: tag 7 keeps boot services, the entry is the
 * tag-9 address in 64-bit mode, the info has tags 12, 18, 20 and no memory map). The platform is known when the
 * kernel is loaded and checked; the EFI values handed over ({@link EfiHandoff}) only once jgrub's EFI environment
 * exists, when the boot is planned.
 */
public final class Multiboot2 implements BootProtocol {

    /** EAX at entry (Multiboot 2 section 3.3). */
    public static final int BOOTLOADER_MAGIC = 0x36d76289;

    /** Info tag types GRUB can deliver and so accepts in a required information request: 0-12 and 14-21. */
    private static final long SUPPORTED_INFO_REQUESTS = 0x3fffffL & ~(1L << 13);

    /**
     * What GRUB x86_64-efi hands a kernel from its EFI environment: the system table and image handle (info tags 12
     * and 20), and the firmware stack pointer for the 64-bit entry (16-byte aligned, UEFI 2.10 section 2.3.4.1).
     */
    public record EfiHandoff(long systemTable, long imageHandle, long stackPointer) {
    }

    private final String path;
    private final Mb2Header header;
    private final KernelImage image;
    private final Optional<ImagePlacer.Relocation> relocation;
    private final long entry;
    private final boolean entry64;
    private final boolean egaText;
    private final byte[] commandLine;
    private final List<Module> modules;
    private final Platform platform;

    private Multiboot2(String path, Mb2Header header, KernelImage image, Optional<ImagePlacer.Relocation> relocation,
            long entry, boolean entry64, boolean egaText, byte[] commandLine, List<Module> modules,
            Platform platform) {
        this.path = path;
        this.header = header;
        this.image = image;
        this.relocation = relocation;
        this.entry = entry;
        this.entry64 = entry64;
        this.egaText = egaText;
        this.commandLine = commandLine;
        this.modules = List.copyOf(modules);
        this.platform = platform;
    }

    /**
     * Reads the kernel as {@code multiboot2 PATH ARGS...} would: gzip and xz unpacked, then header and image, all
     * checked. {@code arguments} are the words after the path. Modules come with {@link #withModule}.
     */
    public static Multiboot2 load(String path, byte[] file, List<String> arguments, Platform platform)
            throws BootException {
        return load(path, file, arguments, List.of(), platform);
    }

    /** {@code module2 ...} after this kernel: the same kernel with one more module, last. */
    public Multiboot2 withModule(Module module) {
        List<Module> more = new ArrayList<>(modules);
        more.add(module);
        return new Multiboot2(path, header, image, relocation, entry, entry64, egaText, commandLine, more, platform);
    }

    /** The kernel and its modules at once. */
    public static Multiboot2 load(String path, byte[] file, List<String> arguments, List<Module> modules,
            Platform platform) throws BootException {
        byte[] kernel = Compression.unpack(path, file, Compression.DEFAULT_LIMIT);
        Bytes bytes = new Bytes(path, kernel);
        Mb2Header header = Mb2Header.find(bytes);
        boolean efi = platform == Platform.EFI;

        HeaderTag.Address address = null;
        HeaderTag.EntryAddress entryTag = null;
        HeaderTag.EntryAddress efiEntryTag = null;
        HeaderTag.Relocatable relocatable = null;
        boolean keepBootServices = false;
        boolean acceptsEga = true;
        boolean acceptsFramebuffer = false;
        boolean consoleRequired = false;
        String s = path + ": Multiboot 2 header";
        for (HeaderTag tag : header.tags()) {
            String ts = s + " tag " + tag.type() + " (" + HeaderTag.typeName(tag.type()) + ")";
            if (tag instanceof HeaderTag.InformationRequest r) {
                if (!r.optional()) {
                    for (int i = 0; i < r.requests().size(); i++) {
                        long t = Integer.toUnsignedLong(r.requests().get(i));
                        if (t >= 64 || (SUPPORTED_INFO_REQUESTS & (1L << t)) == 0) {
                            throw ImageFormatException.unsupported(ts, "mbi_tag_types[" + i + "]", t,
                                    r.offset() + 8 + 4L * i, "asks for an information tag GRUB cannot give");
                        }
                    }
                }
            } else if (tag instanceof HeaderTag.Address a) {
                address = a;
            } else if (tag instanceof HeaderTag.EntryAddress e && e.type() == HeaderTag.TYPE_ENTRY_ADDRESS) {
                entryTag = e;
            } else if (tag instanceof HeaderTag.EntryAddress e && e.type() == HeaderTag.TYPE_ENTRY_ADDRESS_EFI64) {
                if (efi) {
                    efiEntryTag = e; // i386-pc GRUB accepts the tag and ignores it
                }
            } else if (tag instanceof HeaderTag.ConsoleFlags c) {
                if ((c.consoleFlags() & HeaderTag.ConsoleFlags.EGA_TEXT_SUPPORTED) == 0) {
                    acceptsEga = false;
                }
                if ((c.consoleFlags() & HeaderTag.ConsoleFlags.CONSOLE_REQUIRED) != 0) {
                    consoleRequired = true;
                }
            } else if (tag instanceof HeaderTag.Framebuffer) {
                acceptsFramebuffer = true;
            } else if (tag instanceof HeaderTag.Relocatable r) {
                relocatable = r;
            } else if (tag instanceof HeaderTag.ModuleAlign) {
                continue; // GRUB always page-aligns modules
            } else if (tag instanceof HeaderTag.EfiBootServices) {
                keepBootServices = efi; // i386-pc GRUB accepts the tag and ignores it
            } else if (!tag.optional()) {
                // Unknown types and the EFI i386 entry (8), for which GRUB has no case.
                throw ImageFormatException.unsupported(ts, "type", tag.type(), tag.offset(),
                        "is a required tag GRUB does not support");
            }
        }
        if (address != null && entryTag == null && !(keepBootServices && efiEntryTag != null)) {
            throw ImageFormatException.corrupt(s + " tag 2 (address)", "type", HeaderTag.TYPE_ADDRESS,
                    address.offset(), "comes without an entry address tag (3)");
        }

        if (address == null && kernel.length >= 2 && kernel[0] == 'M' && kernel[1] == 'Z') {
            // Debian's update-grub writes such entries for /boot/xen-*.efi; GRUB fails on them in its ELF loader.
            throw ImageFormatException.unsupported(path + ": image", "signature", 0x5a4d, 0, "is a PE/COFF (MZ) image"
                    + " whose Multiboot 2 header has no address tag, so multiboot2 can load it only as ELF, which it is"
                    + " not; GRUB refuses it too. Boot a PE Xen (xen.efi) with chainloader on efi");
        }
        KernelImage image = address != null ? aout(bytes, header, address, entryTag, efiEntryTag)
                : ElfLoader.load(bytes, 2);
        Optional<ImagePlacer.Relocation> relocation = Optional.empty();
        if (relocatable != null) {
            relocation = Optional.of(relocation(s, relocatable, image));
        }
        long entry = image.entry();
        boolean entry64 = false;
        if (keepBootServices && efiEntryTag != null) {
            entry = efiEntryTag.entryAddr();
        } else if (entryTag != null) {
            entry = entryTag.entryAddr();
        }
        if (efi) {
            if (!keepBootServices) {
                throw new ImageFormatException(s + ": no EFI boot services tag (7): booting it on EFI needs GRUB's "
                        + "ExitBootServices-then-32-bit path, which jgrub does not provide (unsupported)");
            }
            entry64 = true;
        }

        // GRUB's grub_multiboot2_set_console: a console the image and the platform both accept, or, if the image
        // requires one, an error. i386-pc has EGA text and VBE graphics, x86_64-efi only GOP graphics.
        boolean platformEga = !efi;
        if (consoleRequired && !(acceptsFramebuffer || (acceptsEga && platformEga))) {
            throw new ImageFormatException(s + ": tag 4 (console flags) requires a console, and the image accepts"
                    + " none the platform has: OS requires a console but none is available (unsupported)");
        }
        // jgrub sets no graphics mode, so all it can report is the EGA text console that GRUB reports on a PC when
        // the console stayed in text mode (grub_multiboot2_make_mbi writes that tag whatever the image accepts).
        if (consoleRequired && !(acceptsEga && platformEga)) {
            throw new ImageFormatException(s + ": tag 4 (console flags) requires a console that only a graphics"
                    + " framebuffer can give, and jgrub sets no graphics mode (unsupported)");
        }
        boolean ega = platformEga;
        return new Multiboot2(path, header, image, relocation, entry, entry64, ega,
                LoaderIdentity.commandLine(arguments), modules, platform);
    }

    private static KernelImage aout(Bytes bytes, Mb2Header header, HeaderTag.Address a, HeaderTag.EntryAddress entry,
            HeaderTag.EntryAddress efiEntry) throws ImageFormatException {
        // load_addr 0xffffffff: "the file from its start", that is header_addr minus the header's file offset.
        long loadAddr = a.loadAddr() == 0xffffffffL ? a.headerAddr() - header.offset() : a.loadAddr();
        if (loadAddr < 0) {
            throw ImageFormatException.corrupt(bytes.name() + ": Multiboot 2 header tag 2 (address)", "header_addr",
                    a.headerAddr(), a.offset() + 8, "is below the header's file offset " + hex(header.offset()));
        }
        long e = entry != null ? entry.entryAddr() : efiEntry.entryAddr();
        return AoutKludge.load(bytes, "Multiboot 2 header tag 2 (address)", header.offset(), a.offset() + 8,
                a.headerAddr(), loadAddr, a.loadEndAddr(), a.bssEndAddr(), e);
    }

    private static ImagePlacer.Relocation relocation(String s, HeaderTag.Relocatable r, KernelImage image)
            throws ImageFormatException {
        String ts = s + " tag 10 (relocatable)";
        if (image.size() > r.maxAddr() || r.minAddr() > r.maxAddr() - image.size()) {
            throw ImageFormatException.corrupt(ts, "min_addr", r.minAddr(), r.offset() + 8, "and max_addr "
                    + hex(r.maxAddr()) + " leave no room for the image (" + hex(image.size())
                    + " bytes): invalid min/max address and/or load size");
        }
        long align = r.align() == 0 ? 1 : r.align();
        if (Long.bitCount(align) != 1) {
            throw ImageFormatException.corrupt(ts, "align", r.align(), r.offset() + 16, "is not a power of two");
        }
        return new ImagePlacer.Relocation(r.minAddr(), r.maxAddr(), align,
                r.preference() == HeaderTag.Relocatable.PREFERENCE_HIGH);
    }

    public Mb2Header header() {
        return header;
    }

    public KernelImage image() {
        return image;
    }

    /** The entry point at the image's link address (before relocation). */
    public long linkEntry() {
        return entry;
    }

    /** Plans a kernel loaded for the PC platform on its placement: the firmware map and jgrub's own ranges. */
    @Override
    public BootPlan plan(Firmware firmware) throws BootException {
        return plan(firmware, new Placement(firmware));
    }

    /** Plans a kernel loaded for the PC platform: places it, its modules and the information with {@code placement}. */
    public BootPlan plan(Firmware firmware, GuestAllocator placement) throws BootException {
        if (platform != Platform.PC) {
            throw new IllegalStateException(path + " was loaded for " + platform + ": plan it with its EFI handoff");
        }
        return plan(firmware, placement, Optional.empty());
    }

    /**
     * Plans a kernel loaded for the EFI platform: placed with {@code placement} (the EFI environment's memory map),
     * entered in long mode with what {@code handoff} says.
     */
    public BootPlan plan(Firmware firmware, GuestAllocator placement, EfiHandoff handoff) throws BootException {
        if (platform != Platform.EFI) {
            throw new IllegalStateException(path + " was loaded for " + platform + ": it takes no EFI handoff");
        }
        return plan(firmware, placement, Optional.of(handoff));
    }

    /** Places the kernel, its modules and the information in GRUB's order, and says how to enter. */
    private BootPlan plan(Firmware firmware, GuestAllocator placement, Optional<EfiHandoff> handoff)
            throws BootException {
        ImagePlacer.Placed placed = ImagePlacer.place(path, image, relocation, modules, ImagePlacer.FLEXIBLE_MIN,
                placement);
        Optional<Mb2Info.Efi> efi = handoff.map(e -> new Mb2Info.Efi(e.systemTable(), e.imageHandle()));
        byte[] info = Mb2Info.build(new Mb2Info.Contents(placed.loadBase(), commandLine,
                LoaderIdentity.cString(LoaderIdentity.loaderName()), placed.modules(),
                GrubMemoryMap.normalize(firmware.memoryMap()), image.sections(), placed.sectionTable(), egaText, efi,
                firmware.rsdp()));
        long infoAddress = placement.allocate("Multiboot 2 information", MultibootAddresses.MB2_INFO_MIN,
                ImagePlacer.TOP_32 + 1 - info.length, info.length, 8, false);
        List<Segment> segments = new ArrayList<>(placed.segments());
        segments.add(Segment.of("Multiboot 2 information", infoAddress, info));
        long entryPoint = (entry + placed.shift()) & 0xffffffffL;
        EntryState state;
        if (handoff.isPresent()) {
            EfiHandoff e = handoff.get();
            state = new EntryState.Long64(entryPoint, BOOTLOADER_MAGIC, infoAddress, 0, 0, e.stackPointer());
        } else {
            state = new EntryState.Protected32((int) entryPoint, BOOTLOADER_MAGIC, (int) infoAddress,
                    MultibootAddresses.INITIAL_STACK);
        }
        return new BootPlan(entry64 ? "Multiboot 2 (EFI amd64)" : "Multiboot 2", segments, state);
    }
}
