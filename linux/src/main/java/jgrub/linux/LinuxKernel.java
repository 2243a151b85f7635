package jgrub.linux;

import static jgrub.linux.KernelFormatException.hex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Contents;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.GrubCommandLine;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.MemoryRegion;
import jgrub.boot.Placement;
import jgrub.boot.Segment;

/**
 * GRUB's i386-pc {@code linux} and {@code initrd} commands as a boot protocol (grub-core/loader/i386/linux.c, the
 * 32-bit boot protocol of Linux Documentation/arch/x86/boot.rst). {@link #load} checks the bzImage's setup header and
 * builds the command line; {@link #plan} places, in GRUB's order, the protected-mode kernel (at pref_address when
 * relocatable, else at 0x100000), the initrd (as high as it goes below initrd_addr_max, at most 0x37ffffff), then the
 * zero page and command line below 0x90000, and enters at code32_start with ESI = the zero page.
 */
public final class LinuxKernel implements BootProtocol {

    /** GRUB_LINUX_BZIMAGE_ADDR: where a bzImage that cannot move is loaded, and what code32_start is relative to. */
    public static final long BZIMAGE_ADDR = 0x100000;
    /** Where GRUB looks for room when a relocatable kernel does not fit at its pref_address. */
    static final long RELOCATED_MIN = 0x1000000;
    /** GRUB_LINUX_INITRD_MAX_ADDRESS: GRUB distrusts larger initrd_addr_max values. */
    static final long INITRD_MAX_ADDRESS = 0x37ffffffL;
    /** GRUB keeps the initrd's end 64 KiB below the limit (old kernels' range checks are off by up to that). */
    static final long INITRD_MAX_GAP = 0x10000;
    /** The zero page and command line go in the traditional real-mode area, [0x10000, 0x90000). */
    static final long REAL_MODE_MIN = 0x10000;
    static final long REAL_MODE_END = 0x90000;
    /** GRUB's command line starts with the image path as it was written. */
    static final String BOOT_IMAGE = "BOOT_IMAGE=";
    private static final long PAGE = 0x1000;
    private static final long FOUR_GIB = 1L << 32;

    private final String path;
    private final byte[] image;
    private final SetupHeader header;
    private final String commandLine;
    private final long memLimit;
    private final boolean quiet;
    private final Optional<Initrd> initrd;

    private LinuxKernel(String path, byte[] image, SetupHeader header, String commandLine, long memLimit,
            boolean quiet, Optional<Initrd> initrd) {
        this.path = path;
        this.image = image;
        this.header = header;
        this.commandLine = commandLine;
        this.memLimit = memLimit;
        this.quiet = quiet;
        this.initrd = initrd;
    }

    /**
     * Reads a kernel as {@code linux PATH ARGS...} does: {@code path} as written in the command (it becomes
     * {@code BOOT_IMAGE=}), the file's bytes, the words after the path.
     */
    public static LinuxKernel load(String path, byte[] file, List<String> arguments) throws KernelFormatException {
        SetupHeader header = SetupHeader.parse(path, file);
        long protectedSize = file.length - header.protectedModeOffset();
        if (header.version() >= 0x020a && header.initSize() < protectedSize) {
            throw KernelFormatException.corrupt(path, "init_size", header.initSize(), SetupHeader.INIT_SIZE,
                    "is smaller than the protected-mode kernel (" + hex(protectedSize) + " bytes)");
        }
        String line = commandLine(path, arguments, header.maximalCommandLine());
        boolean quiet = arguments.stream().anyMatch(w -> w.startsWith("quiet"));
        return new LinuxKernel(path, file, header, line, memLimit(arguments), quiet, Optional.empty());
    }

    /**
     * {@code BOOT_IMAGE=PATH ARGS...} with GRUB's quoting, refused when it does not fit in {@code maximal} bytes with
     * its NUL (GRUB drops the words that do not fit; jgrub says so rather than boot a different command line).
     */
    static String commandLine(String path, List<String> arguments, long maximal) throws KernelFormatException {
        List<String> words = new ArrayList<>();
        words.add(path);
        words.addAll(arguments);
        String line = BOOT_IMAGE + GrubCommandLine.text(words);
        int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (bytes > maximal) {
            throw new KernelFormatException(path + ": the command line (" + bytes + " bytes with its NUL) is longer "
                    + "than the kernel takes (setup header cmdline_size " + hex(maximal - 1) + " at offset "
                    + hex(SetupHeader.CMDLINE_SIZE) + ") (unsupported)");
        }
        return line;
    }

    /** The last {@code mem=} word's value in bytes, 0 when there is none. */
    static long memLimit(List<String> arguments) {
        long limit = 0;
        for (String word : arguments) {
            if (word.startsWith("mem=")) {
                limit = memSize(word.substring(4));
            }
        }
        return limit;
    }

    /**
     * The highest address an initrd may end at, as both of GRUB's Linux loaders compute it: initrd_addr_max from
     * protocol 2.03, at most 0x37ffffff, lowered by {@code mem=}, less 64 KiB.
     */
    static long initrdLimit(long initrdAddrMax, int version, long memLimit) {
        long addrMax = version >= 0x0203 ? Math.min(initrdAddrMax, INITRD_MAX_ADDRESS) : INITRD_MAX_ADDRESS;
        if (memLimit != 0 && memLimit < addrMax) {
            addrMax = memLimit;
        }
        return addrMax - INITRD_MAX_GAP;
    }

    static String initrdName(Initrd initrd) {
        return "initrd (" + String.join(" ", initrd.files().stream().map(Initrd.File::path).toList()) + ")";
    }

    /** {@code initrd FILE...} after this kernel: the kernel with these files as its initrd (replacing any before). */
    public LinuxKernel withInitrd(Initrd files) {
        return new LinuxKernel(path, image, header, commandLine, memLimit, quiet, Optional.of(files));
    }

    public SetupHeader header() {
        return header;
    }

    /** The command line the kernel gets, without its NUL: {@code BOOT_IMAGE=PATH ARGS...}. */
    public String commandLine() {
        return commandLine;
    }

    public Optional<Initrd> initrd() {
        return initrd;
    }

    /**
     * {@code mem=} as GRUB reads it to lower the initrd's limit: a number in C notation (0x hex, 0 octal) and an
     * optional K, M or G; anything unreadable or too large counts as no limit.
     */
    static long memSize(String value) {
        int radix = 10;
        int i = 0;
        if (value.startsWith("0x") || value.startsWith("0X")) {
            radix = 16;
            i = 2;
        } else if (value.startsWith("0") && value.length() > 1) {
            radix = 8;
            i = 1;
        }
        int start = i;
        while (i < value.length() && Character.digit(value.charAt(i), radix) >= 0) {
            i++;
        }
        if (i == start && radix != 8) {
            return 0;
        }
        long number;
        try {
            number = i == start ? 0 : Long.parseUnsignedLong(value.substring(start, i), radix);
        } catch (NumberFormatException e) {
            return 0;
        }
        int shift = 0;
        if (i < value.length()) {
            shift = switch (Character.toLowerCase(value.charAt(i))) {
                case 'g' -> 30;
                case 'm' -> 20;
                case 'k' -> 10;
                default -> 0;
            };
        }
        return number < 0 || number > (Long.MAX_VALUE >>> shift) ? 0 : number << shift;
    }

    @Override
    public BootPlan plan(Firmware firmware) throws BootException {
        Placement placement = new Placement(firmware);
        List<Segment> segments = new ArrayList<>();

        long protectedOffset = header.protectedModeOffset();
        long protectedFileSize = image.length - protectedOffset;
        boolean v210 = header.version() >= 0x020a;
        long protSize = pageAlign(Math.max(1, v210 ? header.initSize() : protectedFileSize));
        long initSpace = v210 ? pageAlign(header.initSize()) : pageAlign(protectedFileSize) * 3;
        String kernelName = "Linux kernel (" + path + ")";
        int align = header.loadsAnywhere() ? Long.numberOfTrailingZeros(header.kernelAlignment()) : 0;
        long target;
        if (header.loadsAnywhere()) {
            long preferred = v210 ? header.prefAddress() : BZIMAGE_ADDR;
            int minAlign = v210 ? header.minAlignment() : align;
            Optional<Long> at = tryAllocate(placement, kernelName, preferred, preferred, protSize, 1);
            // GRUB: failing that, anywhere from 16 MiB below 4 GiB, alignment halved down to min_alignment.
            for (; at.isEmpty() && align >= minAlign; align--) {
                at = tryAllocate(placement, kernelName, RELOCATED_MIN, FOUR_GIB - protSize, protSize, 1L << align);
            }
            if (at.isEmpty()) {
                throw new BootException("no room for " + kernelName + " (" + hex(protSize) + " bytes, init_size) at "
                        + "pref_address " + hex(preferred) + " nor anywhere in [" + hex(RELOCATED_MIN)
                        + ", 4 GiB) aligned to at least " + hex(1L << minAlign) + " in usable RAM of the firmware "
                        + "memory map");
            }
            target = at.get();
        } else {
            target = BZIMAGE_ADDR;
            placement.claim(kernelName, target, protSize);
        }
        // The segment is the file's bytes only: the rest of init_size stays taken in the allocator, but is not zeroed
        // (GRUB does not clear it either; the kernel clears its own BSS), which would cost the handoff about 1 s.
        segments.add(new Segment(kernelName, target, slice(image, protectedOffset, protectedFileSize),
                protectedFileSize));
        long code32Start = (target + header.code32Start() - BZIMAGE_ADDR) & 0xffffffffL;

        long ramdiskImage = 0;
        long ramdiskSize = 0;
        if (initrd.isPresent()) {
            ramdiskSize = initrd.get().size();
            ramdiskImage = placeInitrd(placement, ramdiskSize, target + initSpace);
            segments.add(new Segment(initrdName(initrd.get()), ramdiskImage, initrd.get().contents(), ramdiskSize));
        }

        List<MemoryRegion> e820 = GrubMemoryMap.normalize(firmware.memoryMap());
        // grub_linux_boot: the zero page, room GRUB keeps for a memory map, the setup sectors' size, the command line.
        long mmapSize = pageAlign(e820.size() * 20L + PAGE);
        long clOffset = pageAlign(mmapSize + BootParams.SIZE);
        long setupBytes = (long) header.setupSects() << 9;
        if (clOffset < setupBytes) {
            clOffset = pageAlign(setupBytes);
        }
        long realSize = pageAlign(clOffset + header.maximalCommandLine());
        long realMode = placement.allocate("Linux boot_params and command line", REAL_MODE_MIN,
                REAL_MODE_END - realSize, realSize, PAGE, true);
        byte[] zeroPage = BootParams.build(image, header, new BootParams.Fields(code32Start, 1L << align,
                realMode + clOffset, ramdiskImage, ramdiskSize, quiet, e820));
        segments.add(Segment.of("Linux boot_params (zero page)", realMode, zeroPage));
        byte[] line = new byte[(int) header.maximalCommandLine()];
        byte[] text = commandLine.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, line, 0, text.length);
        segments.add(Segment.of("Linux command line", realMode + clOffset, line));

        // The 32-bit boot protocol: ESI = boot_params, EBP = EDI = EBX = 0; GRUB's stack is just below the zero page.
        return new BootPlan("Linux", segments,
                new EntryState.Protected32((int) code32Start, 0, 0, (int) realMode, (int) realMode));
    }

    /** grub_cmd_initrd: as high as possible below its limit, page aligned, above the kernel's init space. */
    private long placeInitrd(Placement placement, long size, long addrMin) throws BootException {
        long alignedSize = pageAlign(size);
        long addrMax = initrdLimit(header.initrdAddrMax(), header.version(), memLimit);
        String name = "initrd (" + hex(size) + " bytes)";
        if (addrMax < alignedSize) {
            throw new BootException(name + ": the size of initrd is bigger than addr_max " + hex(addrMax)
                    + " (initrd_addr_max " + hex(header.initrdAddrMax()) + " at offset "
                    + hex(SetupHeader.INITRD_ADDR_MAX) + ", less 64 KiB)");
        }
        long addr = (addrMax - alignedSize) & ~(PAGE - 1);
        if (addr < addrMin) {
            throw new BootException(name + ": the initrd is too big: it would start at " + hex(addr)
                    + ", inside the kernel's init_size, which ends at " + hex(addrMin));
        }
        return placement.allocate(name, addrMin, addr, alignedSize, PAGE, true);
    }

    private static Optional<Long> tryAllocate(Placement placement, String name, long min, long maxStart, long size,
            long align) {
        try {
            return Optional.of(placement.allocate(name, min, maxStart, size, align, false));
        } catch (BootException e) {
            return Optional.empty();
        }
    }

    private static long pageAlign(long size) {
        return (size + PAGE - 1) & ~(PAGE - 1);
    }

    static Contents slice(byte[] bytes, long offset, long length) {
        return new Contents() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public void writeTo(ByteBuffer target) {
                target.put(bytes, (int) offset, (int) length);
            }
        };
    }
}
