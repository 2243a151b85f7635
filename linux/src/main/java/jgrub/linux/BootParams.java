package jgrub.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.MemoryRegion;

/**
 * The zero page, {@code struct boot_params} (Linux Documentation/arch/x86/zero-page.rst), as GRUB's i386-pc
 * {@code linux} loader fills it: the kernel's setup header copied to its own offsets, then the fields a boot loader
 * owns. Everything else stays zero.
 */
final class BootParams {

    static final int SIZE = 4096;

    // screen_info (zero-page.rst: 0x000, 64 bytes); GRUB's text-mode values for a PC BIOS without a video driver.
    static final int ORIG_X = 0x00;
    static final int ORIG_Y = 0x01;
    static final int EXT_MEM_K = 0x02;
    static final int ORIG_VIDEO_MODE = 0x06;
    static final int ORIG_VIDEO_COLS = 0x07;
    static final int ORIG_VIDEO_LINES = 0x0e;
    static final int ORIG_VIDEO_IS_VGA = 0x0f;
    static final int ORIG_VIDEO_POINTS = 0x10;
    /** The pre-2.02 command line protocol: cl_magic and cl_offset (boot.rst, "The Kernel Command Line"). */
    static final int CL_MAGIC = 0x20;
    static final int CL_OFFSET = 0x22;
    static final int ALT_MEM_K = 0x1e0;
    static final int E820_ENTRIES = 0x1e8;
    static final int E820_TABLE = 0x2d0;
    static final int E820_ENTRY_SIZE = 20;
    /** E820_MAX_ENTRIES_ZEROPAGE. */
    static final int E820_MAX = 128;

    /** GRUB_LINUX_BOOT_LOADER_TYPE: GRUB's loader id 7 in the high nibble, version 2 in the low one. */
    static final int LOADER_TYPE_GRUB = 0x72;
    /** GRUB_LINUX_CL_MAGIC; GRUB puts 0x1000 in cl_offset whatever the real offset (only pre-2.02 kernels read it). */
    static final int CL_MAGIC_VALUE = 0xa33f;
    static final int CL_OFFSET_VALUE = 0x1000;
    /** GRUB_LINUX_HEAP_END_OFFSET: the setup code's heap ends 0x200 below its 0x9000 stack. */
    static final int HEAP_END = 0x9000 - 0x200;
    /** GRUB's ext_mem and alt_mem: 32 MiB, "not needed to be precise" (Linux only uses them for an error). */
    static final int MEMORY_KIB = (32 * 0x100000) >> 10;
    /** GRUB_VIDEO_LINUX_TYPE_TEXT, video mode 3 (80x25 colour text), GRUB's font size. */
    static final int VIDEO_TYPE_TEXT = 0x01;
    static final int VIDEO_MODE_TEXT = 0x03;
    static final int FONT_POINTS = 16;
    /** root_dev GRUB sets with an initrd: 0x0100, /dev/ram0. */
    static final int ROOT_DEV_RAM0 = 0x0100;

    /** What the loader decided, for the fields it owns. */
    record Fields(long code32Start, long kernelAlignment, long cmdLinePtr, long ramdiskImage, long ramdiskSize,
            boolean quiet, List<MemoryRegion> e820) {
    }

    private BootParams() {
    }

    static byte[] build(byte[] image, SetupHeader header, Fields f) throws BootException {
        if (f.e820().size() > E820_MAX) {
            throw new BootException("the firmware memory map has " + f.e820().size() + " entries; Linux's boot_params "
                    + "holds " + E820_MAX + " (unsupported)");
        }
        byte[] page = new byte[SIZE];
        System.arraycopy(image, SetupHeader.SETUP_SECTS, page, SetupHeader.SETUP_SECTS,
                header.headerEnd() - SetupHeader.SETUP_SECTS);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        // As grub_cmd_linux: its ps_mouse and padding (the boot_flag bytes at 0x1fe) are cleared.
        b.putShort(SetupHeader.BOOT_FLAG, (short) 0);
        b.putInt(SetupHeader.CODE32_START, (int) f.code32Start());
        b.putInt(SetupHeader.KERNEL_ALIGNMENT, (int) f.kernelAlignment());
        b.put(SetupHeader.TYPE_OF_LOADER, (byte) LOADER_TYPE_GRUB);
        b.putShort(CL_MAGIC, (short) CL_MAGIC_VALUE);
        b.putShort(CL_OFFSET, (short) CL_OFFSET_VALUE);
        b.putShort(SetupHeader.HEAP_END_PTR, (short) HEAP_END);
        int loadflags = header.loadflags() | SetupHeader.CAN_USE_HEAP | (f.quiet() ? SetupHeader.QUIET_FLAG : 0);
        b.put(SetupHeader.LOADFLAGS, (byte) loadflags);
        b.putShort(EXT_MEM_K, (short) MEMORY_KIB);
        b.putInt(ALT_MEM_K, MEMORY_KIB);
        b.putShort(ORIG_VIDEO_POINTS, (short) FONT_POINTS);
        if (f.ramdiskSize() > 0) {
            b.putInt(SetupHeader.RAMDISK_IMAGE, (int) f.ramdiskImage());
            b.putInt(SetupHeader.RAMDISK_SIZE, (int) f.ramdiskSize());
            b.putShort(SetupHeader.ROOT_DEV, (short) ROOT_DEV_RAM0);
        } else {
            b.putInt(SetupHeader.RAMDISK_IMAGE, 0);
            b.putInt(SetupHeader.RAMDISK_SIZE, 0);
        }
        // At boot (grub_linux_boot): text mode 3, 80x25, cursor at the top left as jgrub's console has no cursor.
        b.put(ORIG_VIDEO_IS_VGA, (byte) VIDEO_TYPE_TEXT);
        b.put(ORIG_VIDEO_MODE, (byte) VIDEO_MODE_TEXT);
        b.put(ORIG_X, (byte) 0);
        b.put(ORIG_Y, (byte) 0);
        b.put(ORIG_VIDEO_COLS, (byte) 80);
        b.put(ORIG_VIDEO_LINES, (byte) 25);
        b.putInt(SetupHeader.CMD_LINE_PTR, (int) f.cmdLinePtr());
        b.put(E820_ENTRIES, (byte) f.e820().size());
        for (int i = 0; i < f.e820().size(); i++) {
            MemoryRegion r = f.e820().get(i);
            int at = E820_TABLE + i * E820_ENTRY_SIZE;
            b.putLong(at, r.base());
            b.putLong(at + 8, r.length());
            b.putInt(at + 16, r.type().e820());
        }
        return page;
    }
}
