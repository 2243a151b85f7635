package jgrub.linux;

import static jgrub.linux.KernelFormatException.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The real-mode kernel header of an x86 bzImage (Linux Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header"), at offset 0x1f1 of the file and of boot_params, checked as GRUB's {@code grub_cmd_linux}
 * (grub-core/loader/i386/linux.c) checks it. Offsets are those of the file; boot_params keeps the header at the same
 * offsets.
 *
 * @param setupSects   0x1f1: 512-byte setup sectors after the boot sector (0 means 4)
 * @param version      0x206: boot protocol version, 0x020f for 2.15
 * @param loadflags    0x211: LOADED_HIGH (bit 0) is required for the 32-bit boot
 * @param code32Start  0x214: the 32-bit entry when loaded at 0x100000
 * @param initrdAddrMax 0x22c: highest address the initrd may end at (protocol 2.03)
 * @param kernelAlignment 0x230: alignment a relocatable kernel needs (2.05)
 * @param relocatable  0x234: relocatable_kernel (2.05)
 * @param minAlignment 0x235: log2 of the least alignment the kernel accepts (2.10)
 * @param xloadflags   0x236: XLF_KERNEL_64, XLF_CAN_BE_LOADED_ABOVE_4G, XLF_EFI_HANDOVER_* (2.12)
 * @param cmdlineSize  0x238: longest command line without its NUL (2.06)
 * @param prefAddress  0x258: preferred load address of a relocatable kernel (2.10)
 * @param initSize     0x260: bytes the kernel needs from its load address to start (2.10)
 * @param headerEnd    0x202 + the byte at 0x201 (the jump's displacement): where the header ends
 */
public record SetupHeader(int setupSects, int version, int loadflags, long code32Start, long initrdAddrMax,
        long kernelAlignment, boolean relocatable, int minAlignment, int xloadflags, long cmdlineSize,
        long prefAddress, long initSize, int headerEnd) {

    public static final int SETUP_SECTS = 0x1f1;
    public static final int VID_MODE = 0x1fa;
    public static final int ROOT_DEV = 0x1fc;
    public static final int BOOT_FLAG = 0x1fe;
    public static final int JUMP = 0x200;
    public static final int HEADER = 0x202;
    public static final int VERSION = 0x206;
    public static final int TYPE_OF_LOADER = 0x210;
    public static final int LOADFLAGS = 0x211;
    public static final int SETUP_MOVE_SIZE = 0x212;
    public static final int CODE32_START = 0x214;
    public static final int RAMDISK_IMAGE = 0x218;
    public static final int RAMDISK_SIZE = 0x21c;
    public static final int HEAP_END_PTR = 0x224;
    public static final int CMD_LINE_PTR = 0x228;
    public static final int INITRD_ADDR_MAX = 0x22c;
    public static final int KERNEL_ALIGNMENT = 0x230;
    public static final int RELOCATABLE_KERNEL = 0x234;
    public static final int MIN_ALIGNMENT = 0x235;
    public static final int XLOADFLAGS = 0x236;
    public static final int CMDLINE_SIZE = 0x238;
    public static final int PREF_ADDRESS = 0x258;
    public static final int INIT_SIZE = 0x260;
    /** GRUB reads its {@code struct linux_i386_kernel_header} up to handover_offset, 0x268 bytes, before any check. */
    static final int GRUB_HEADER_READ = 0x268;

    public static final int BOOT_FLAG_MAGIC = 0xaa55;
    /** "HdrS". */
    public static final long HDRS = 0x53726448L;
    /** GRUB_LINUX_MAX_SETUP_SECTS. */
    public static final int MAX_SETUP_SECTS = 64;
    /** GRUB_LINUX_DEFAULT_SETUP_SECTS: a setup_sects of 0 means 4, for old kernels. */
    public static final int DEFAULT_SETUP_SECTS = 4;
    /** boot_params' edd_mbr_sig_buffer: the setup header must end before it (GRUB: "Linux setup header too big"). */
    public static final int HEADER_END_MAX = 0x290;

    public static final int LOADED_HIGH = 0x01;
    public static final int QUIET_FLAG = 0x20;
    public static final int CAN_USE_HEAP = 0x80;

    public static final int XLF_KERNEL_64 = 1 << 0;
    public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;

    /**
     * Reads and checks the header as GRUB does, in GRUB's order: the file holds the whole header, boot_flag is
     * 0xaa55, at most 64 setup sectors, "HdrS" and protocol 2.03 or later (the 32-bit boot), LOADED_HIGH (a bzImage),
     * a header that fits boot_params, and a protected-mode part after the setup sectors.
     */
    public static SetupHeader parse(String file, byte[] image) throws KernelFormatException {
        ByteBuffer b = checkBootSector(file, image);
        int setupSects = Byte.toUnsignedInt(b.get(SETUP_SECTS));
        long header = Integer.toUnsignedLong(b.getInt(HEADER));
        if (header != HDRS) {
            throw KernelFormatException.unsupported(file, "magic", header, HEADER,
                    "is not \"HdrS\" (0x53726448): version too old for 32-bit boot");
        }
        int version = Short.toUnsignedInt(b.getShort(VERSION));
        if (version < 0x0203) {
            throw KernelFormatException.unsupported(file, "version", version, VERSION,
                    "is below 0x203: version too old for 32-bit boot");
        }
        int loadflags = Byte.toUnsignedInt(b.get(LOADFLAGS));
        if ((loadflags & LOADED_HIGH) == 0) {
            throw KernelFormatException.unsupported(file, "loadflags", loadflags, LOADFLAGS,
                    "lack LOADED_HIGH: zImage doesn't support 32-bit boot");
        }
        int headerEnd = 0x202 + Byte.toUnsignedInt(b.get(JUMP + 1));
        if (headerEnd > HEADER_END_MAX) {
            throw KernelFormatException.corrupt(file, "end (0x202 + jump displacement)", headerEnd, JUMP + 1,
                    "is past boot_params' edd_mbr_sig_buffer at 0x290: Linux setup header too big");
        }
        requireProtectedPart(file, image, setupSects == 0 ? DEFAULT_SETUP_SECTS : setupSects);
        // Fields of later protocol versions are read only when the version has them, as GRUB does.
        long cmdlineSize = version >= 0x0206 ? Integer.toUnsignedLong(b.getInt(CMDLINE_SIZE)) : 255;
        return new SetupHeader(setupSects, version, loadflags, Integer.toUnsignedLong(b.getInt(CODE32_START)),
                Integer.toUnsignedLong(b.getInt(INITRD_ADDR_MAX)),
                version >= 0x0205 ? Integer.toUnsignedLong(b.getInt(KERNEL_ALIGNMENT)) : 0,
                version >= 0x0205 && b.get(RELOCATABLE_KERNEL) != 0,
                version >= 0x020a ? Byte.toUnsignedInt(b.get(MIN_ALIGNMENT)) : 0,
                version >= 0x020c ? Short.toUnsignedInt(b.getShort(XLOADFLAGS)) : 0, cmdlineSize,
                version >= 0x020a ? b.getLong(PREF_ADDRESS) : 0,
                version >= 0x020a ? Integer.toUnsignedLong(b.getInt(INIT_SIZE)) : 0, headerEnd);
    }

    /**
     * The checks both {@code linux} and {@code linux16} make first: the file holds GRUB's header read, boot_flag is
     * 0xaa55, at most 64 setup sectors. Returns the file as a little-endian buffer.
     */
    static ByteBuffer checkBootSector(String file, byte[] image) throws KernelFormatException {
        if (image.length < GRUB_HEADER_READ) {
            throw new KernelFormatException(file + ": " + hex(image.length) + " bytes, shorter than the Linux setup "
                    + "header (" + hex(GRUB_HEADER_READ) + " bytes): premature end of file (corrupt)");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int bootFlag = Short.toUnsignedInt(b.getShort(BOOT_FLAG));
        if (bootFlag != BOOT_FLAG_MAGIC) {
            throw KernelFormatException.corrupt(file, "boot_flag", bootFlag, BOOT_FLAG,
                    "is not 0xaa55: invalid magic number, not a Linux kernel");
        }
        int setupSects = Byte.toUnsignedInt(b.get(SETUP_SECTS));
        if (setupSects > MAX_SETUP_SECTS) {
            throw KernelFormatException.corrupt(file, "setup_sects", setupSects, SETUP_SECTS,
                    "is over " + MAX_SETUP_SECTS + ": too many setup sectors");
        }
        return b;
    }

    /** The protected-mode part starts after the boot sector and {@code sects} setup sectors, inside the file. */
    static void requireProtectedPart(String file, byte[] image, int sects) throws KernelFormatException {
        long protectedStart = (sects + 1L) * 512;
        if (image.length < protectedStart) {
            throw KernelFormatException.corrupt(file, "setup_sects", Byte.toUnsignedInt(image[SETUP_SECTS]),
                    SETUP_SECTS, "put the protected-mode kernel at " + hex(protectedStart) + ", past the end of the "
                    + "file (" + hex(image.length) + " bytes): premature end of file");
        }
    }

    /** Setup sectors as the loader counts them (0 means 4). */
    public int setupSectors() {
        return setupSects == 0 ? DEFAULT_SETUP_SECTS : setupSects;
    }

    /** Where the protected-mode kernel starts in the file: after the boot sector and the setup sectors. */
    public long protectedModeOffset() {
        return (setupSectors() + 1L) * 512;
    }

    /**
     * Whether GRUB loads the kernel anywhere: protocol 2.05 or later, relocatable_kernel set and kernel_alignment a
     * power of two; otherwise at 0x100000 exactly.
     */
    public boolean loadsAnywhere() {
        return version >= 0x0205 && relocatable && kernelAlignment != 0 && Long.bitCount(kernelAlignment) == 1;
    }

    /** GRUB's maximal_cmdline_size: cmdline_size + 1 from protocol 2.06 (256 before), at least 128, NUL included. */
    public long maximalCommandLine() {
        return Math.max(128, version >= 0x0206 ? cmdlineSize + 1 : 256);
    }

    /** "2.15" for 0x020f. */
    public String protocol() {
        return (version >> 8) + "." + String.format("%02d", version & 0xff);
    }
}
