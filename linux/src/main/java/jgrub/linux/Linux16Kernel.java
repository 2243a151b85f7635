package jgrub.linux;

import static jgrub.linux.KernelFormatException.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.GrubMemoryMap;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Placement;
import jgrub.boot.Segment;

/**
 * GRUB's i386-pc {@code linux16} and {@code initrd16} commands (grub-core/loader/i386/pc/linux.c): the kernel's own
 * real-mode setup code is loaded below 640 KiB with the command line 0x9000 bytes above it, the protected-mode part at
 * 0x100000 (bzImage) or 0x10000 (zImage), the initrd as high as it goes below its limit, and the setup code is
 * entered in real mode at its segment + 0x20, where it asks the BIOS for the memory map itself (boot.rst, "Loading
 * the Rest of the Kernel", "Running the Kernel"). Unlike {@code linux} it takes zImages and protocols before 2.03.
 */
public final class Linux16Kernel implements BootProtocol {

    /** GRUB_LINUX_CL_OFFSET for linux16: the command line 0x9000 bytes above the setup code, past its stack. */
    static final int CL_OFFSET = 0x9000;
    /** GRUB_LINUX_SETUP_STACK: SP at entry, relative to the setup segment. */
    static final int SETUP_STACK = 0x9000;
    /** GRUB_LINUX_OLD_REAL_MODE_ADDR: the highest (and for old kernels the only) place of the setup code. */
    static final long OLD_REAL_MODE_ADDR = 0x90000;
    /** GRUB_LINUX_ZIMAGE_ADDR: where a zImage's protected-mode part goes. */
    static final long ZIMAGE_ADDR = 0x10000;
    /** Conventional memory ends here; the setup code must be below. */
    static final long LOW_MEMORY_END = 0xa0000;

    private final String path;
    private final byte[] image;
    private final int setupSects;
    private final int version;
    private final boolean bzImage;
    private final long maximalCommandLine;
    private final String commandLine;
    private final long memLimit;
    private final Optional<Integer> vidMode;
    private final Optional<Initrd> initrd;

    private Linux16Kernel(String path, byte[] image, int setupSects, int version, boolean bzImage,
            long maximalCommandLine, String commandLine, long memLimit, Optional<Integer> vidMode,
            Optional<Initrd> initrd) {
        this.path = path;
        this.image = image;
        this.setupSects = setupSects;
        this.version = version;
        this.bzImage = bzImage;
        this.maximalCommandLine = maximalCommandLine;
        this.commandLine = commandLine;
        this.memLimit = memLimit;
        this.vidMode = vidMode;
        this.initrd = initrd;
    }

    /** Reads a kernel as {@code linux16 PATH ARGS...} does; {@code path} as written (it becomes BOOT_IMAGE=). */
    public static Linux16Kernel load(String path, byte[] file, List<String> arguments) throws BootException {
        ByteBuffer b = SetupHeader.checkBootSector(path, file);
        // Protocol 2.00 and later ("HdrS"): the header's fields count; before, GRUB loads the kernel as Linux 1.x.
        int version = b.getInt(SetupHeader.HEADER) == (int) SetupHeader.HDRS
                ? Short.toUnsignedInt(b.getShort(SetupHeader.VERSION)) : 0;
        boolean modern = version >= 0x0200;
        int sects = Byte.toUnsignedInt(b.get(SetupHeader.SETUP_SECTS));
        if (!modern || sects == 0) {
            sects = SetupHeader.DEFAULT_SETUP_SECTS;
        }
        SetupHeader.requireProtectedPart(path, file, sects);
        long maximal = version >= 0x0206 ? Integer.toUnsignedLong(b.getInt(SetupHeader.CMDLINE_SIZE)) + 1 : 256;
        Optional<Integer> vid = Optional.empty();
        for (String word : arguments) {
            if (word.startsWith("vga=")) {
                vid = Optional.of(vgaMode(path, word.substring(4)));
            }
        }
        return new Linux16Kernel(path, file, sects, version,
                modern && (b.get(SetupHeader.LOADFLAGS) & SetupHeader.LOADED_HIGH) != 0, maximal,
                LinuxKernel.commandLine(path, arguments, maximal), LinuxKernel.memLimit(arguments), vid,
                Optional.empty());
    }

    /** {@code vga=normal|ext|ask|NUMBER} as linux16 puts it in vid_mode. */
    private static int vgaMode(String path, String value) throws BootException {
        switch (value) {
            case "normal":
                return 0xffff;
            case "ext":
                return 0xfffe;
            case "ask":
                return 0xfffd;
            default:
                try {
                    return Integer.decode(value) & 0xffff;
                } catch (NumberFormatException e) {
                    throw new BootException(path + ": vga=" + value + ": unrecognized number");
                }
        }
    }

    /** {@code initrd16 FILE...}: refused, as GRUB refuses it, for kernels before protocol 2.00. */
    public Linux16Kernel withInitrd(Initrd files) throws BootException {
        if (version < 0x0200) {
            throw new BootException(path + ": the kernel is too old for initrd (no \"HdrS\" 2.00 setup header)");
        }
        return new Linux16Kernel(path, image, setupSects, version, bzImage, maximalCommandLine, commandLine, memLimit,
                vidMode, Optional.of(files));
    }

    public String commandLine() {
        return commandLine;
    }

    public boolean bzImage() {
        return bzImage;
    }

    @Override
    public BootPlan plan(Firmware firmware) throws BootException {
        Placement placement = new Placement(firmware);
        long realSize = CL_OFFSET + maximalCommandLine;
        long real = version >= 0x0200 ? realTarget(firmware, realSize) : OLD_REAL_MODE_ADDR;
        placement.claim("Linux real-mode setup and command line", real, realSize);

        long setupBytes = (setupSects + 1L) * 512;
        long protectedSize = image.length - setupBytes;
        long protectedTarget = bzImage ? LinuxKernel.BZIMAGE_ADDR : ZIMAGE_ADDR;
        if (!bzImage && ZIMAGE_ADDR + protectedSize > real) {
            throw new BootException(path + ": too big zImage (" + hex(ZIMAGE_ADDR + protectedSize) + " > "
                    + hex(real) + "), use bzImage instead");
        }
        String kernelName = "Linux kernel (" + path + ")";
        placement.claim(kernelName, protectedTarget, protectedSize);
        List<Segment> segments = new ArrayList<>();

        byte[] chunk = new byte[(int) realSize];
        System.arraycopy(image, 0, chunk, 0, (int) Math.max(setupBytes, SetupHeader.GRUB_HEADER_READ));
        ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        if (version >= 0x0200) {
            b.put(SetupHeader.TYPE_OF_LOADER, (byte) BootParams.LOADER_TYPE_GRUB);
            if (version >= 0x0201) {
                b.putShort(SetupHeader.HEAP_END_PTR, (short) BootParams.HEAP_END);
                b.put(SetupHeader.LOADFLAGS, (byte) (b.get(SetupHeader.LOADFLAGS) | SetupHeader.CAN_USE_HEAP));
            }
            if (version >= 0x0202) {
                b.putInt(SetupHeader.CMD_LINE_PTR, (int) (real + CL_OFFSET));
            } else {
                b.putShort(BootParams.CL_MAGIC, (short) BootParams.CL_MAGIC_VALUE);
                b.putShort(BootParams.CL_OFFSET, (short) CL_OFFSET);
                b.putShort(SetupHeader.SETUP_MOVE_SIZE, (short) realSize);
            }
        } else {
            b.putShort(BootParams.CL_MAGIC, (short) BootParams.CL_MAGIC_VALUE);
            b.putShort(BootParams.CL_OFFSET, (short) CL_OFFSET);
        }
        if (vidMode.isPresent()) {
            b.putShort(SetupHeader.VID_MODE, (short) (int) vidMode.get());
        }
        byte[] text = commandLine.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, chunk, CL_OFFSET, text.length);

        if (initrd.isPresent()) {
            long size = initrd.get().size();
            long addrMax = LinuxKernel.initrdLimit(Integer.toUnsignedLong(b.getInt(SetupHeader.INITRD_ADDR_MAX)),
                    version, memLimit);
            long addrMin = LinuxKernel.BZIMAGE_ADDR + protectedSize;
            String name = "initrd (" + hex(size) + " bytes)";
            if (addrMax < size) {
                throw new BootException(name + ": larger than its limit " + hex(addrMax));
            }
            long at = placement.allocate(name, addrMin, addrMax - size, size, 0x1000, true);
            b.putInt(SetupHeader.RAMDISK_IMAGE, (int) at);
            b.putInt(SetupHeader.RAMDISK_SIZE, (int) size);
            segments.add(new Segment(LinuxKernel.initrdName(initrd.get()), at, initrd.get().contents(), size));
        }
        segments.add(0, Segment.of("Linux real-mode setup and command line", real, chunk));
        segments.add(1, new Segment(kernelName, protectedTarget, LinuxKernel.slice(image, setupBytes, protectedSize),
                protectedSize));
        int segment = (int) (real >> 4);
        return new BootPlan("Linux (16-bit)", segments, new EntryState.Real16(segment + 0x20, 0, segment,
                SETUP_STACK));
    }

    /**
     * grub_find_real_target: the highest start, in usable RAM below 640 KiB, that leaves room for the setup code and
     * command line, at most 0x90000.
     */
    private static long realTarget(Firmware firmware, long size) throws BootException {
        long best = -1;
        for (MemoryRegion r : GrubMemoryMap.normalize(firmware.memoryMap())) {
            if (r.type() != MemoryType.USABLE || r.base() >= LOW_MEMORY_END) {
                continue;
            }
            long top = Math.min(r.end(), LOW_MEMORY_END);
            if (top - r.base() < size) {
                continue;
            }
            long candidate = Math.min(top - size, OLD_REAL_MODE_ADDR);
            if (candidate >= r.base() && candidate > best) {
                best = candidate;
            }
        }
        if (best < 0) {
            throw new BootException("no appropriate low memory found for the Linux real-mode setup (" + hex(size)
                    + " bytes below 0xa0000)");
        }
        return best;
    }
}
