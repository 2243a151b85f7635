package jgrub.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import jgrub.boot.Framebuffer;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/**
 * QEMU's {@code ramfb} display: a framebuffer in guest RAM that the guest configures by writing the fw_cfg file
 * {@code etc/ramfb} (QEMU hw/display/ramfb.c) through fw_cfg's DMA interface (docs/specs/fw_cfg.rst). jgrub finds the
 * file in the directory the option ROM read, puts the framebuffer at the top of RAM below 4 GiB and has the ROM start
 * the DMA write before it enters the image, so the display shows the framebuffer from the first instruction of the
 * image on, as OVMF's QemuRamfbDxe sets it up before any EFI program runs.
 *
 * @param selector the fw_cfg selector of {@code etc/ramfb}
 * @param framebuffer where the pixels go and the one mode
 */
record Ramfb(int selector, Framebuffer framebuffer) {

    static final String FILE = "etc/ramfb";
    /** The one mode, as QemuRamfbDxe's default. */
    static final int WIDTH = 1024;
    static final int HEIGHT = 768;
    /** DRM_FORMAT_XRGB8888, "XR24": a little-endian 32-bit word of x:R:G:B, bytes B, G, R, x. */
    static final int FOURCC_XRGB8888 = 0x34325258;

    /** FWCfgFiles (fw_cfg.rst, "File Directory"): a big-endian count, then FWCfgFile entries. */
    static final int DIRECTORY_COUNT_SIZE = 4;
    static final int FILE_ENTRY_SIZE = 64;
    static final int FILE_ENTRY_SELECTOR = 4;
    static final int FILE_ENTRY_NAME = 8;
    static final int FILE_NAME_SIZE = 56;

    /** FWCfgDmaAccess: control (selector in the high half), length, address; all big-endian. */
    static final int DMA_CONTROL_SELECT = 0x08;
    static final int DMA_CONTROL_WRITE = 0x10;
    static final int DMA_ACCESS_SIZE = 16;

    /** RAMFBCfg, big-endian and packed: addr u64, fourcc, flags, width, height, stride (u32 each). */
    static final int CONFIG_SIZE = 28;

    /**
     * The ramfb device if the machine has one ({@code etc/ramfb} in the fw_cfg directory at
     * {@link GuestLayout#FW_CFG_DIRECTORY}) and RAM below 4 GiB to hold its framebuffer.
     */
    static Optional<Ramfb> find(GuestMemory memory, List<MemoryRegion> map) throws GuestMemoryException,
            MachineException {
        ByteBuffer directory = memory.slice(GuestLayout.FW_CFG_DIRECTORY, GuestLayout.FW_CFG_DIRECTORY_SIZE)
                .order(ByteOrder.BIG_ENDIAN);
        Optional<Integer> selector = selector(directory);
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        Framebuffer framebuffer = place(map, WIDTH, HEIGHT).orElseThrow(() -> new MachineException(
                "no RAM below 4 GiB holds a " + WIDTH + "x" + HEIGHT + " framebuffer for the ramfb display"));
        return Optional.of(new Ramfb(selector.get(), framebuffer));
    }

    /**
     * The selector of {@code etc/ramfb} in an fw_cfg file directory; entries the buffer cut off are not looked at
     * (names sort before it: QEMU keeps the directory sorted by name).
     */
    static Optional<Integer> selector(ByteBuffer directory) {
        long count = Integer.toUnsignedLong(directory.getInt(0));
        long fits = (directory.limit() - DIRECTORY_COUNT_SIZE) / FILE_ENTRY_SIZE;
        byte[] name = new byte[FILE_NAME_SIZE];
        for (int i = 0; i < Math.min(count, fits); i++) {
            int at = DIRECTORY_COUNT_SIZE + i * FILE_ENTRY_SIZE;
            directory.get(at + FILE_ENTRY_NAME, name);
            int length = 0;
            while (length < name.length && name[length] != 0) {
                length++;
            }
            if (new String(name, 0, length, StandardCharsets.US_ASCII).equals(FILE)) {
                return Optional.of(Short.toUnsignedInt(directory.getShort(at + FILE_ENTRY_SELECTOR)));
            }
        }
        return Optional.empty();
    }

    /**
     * The framebuffer at the top of the highest usable RAM below 4 GiB (and above 1 MiB), aligned down to
     * {@link GuestLayout#FRAMEBUFFER_ALIGNMENT}; empty when no region holds it.
     */
    static Optional<Framebuffer> place(List<MemoryRegion> map, int width, int height) {
        int stride = width * Framebuffer.BYTES_PER_PIXEL;
        long size = (long) stride * height;
        long best = -1;
        for (MemoryRegion region : map) {
            if (region.type() != MemoryType.USABLE) {
                continue;
            }
            long end = Math.min(region.end(), GuestLayout.HIGH_RAM_START);
            long base = (end - size) & -GuestLayout.FRAMEBUFFER_ALIGNMENT;
            if (base >= Math.max(region.base(), 1L << 20) && base > best) {
                best = base;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(new Framebuffer(best, width, height, stride));
    }

    /**
     * Writes the DMA access that sets the mode, and its data, into the mailbox page; returns the access's address for
     * the ROM (the mailbox's last reply word).
     */
    long prepareModeSet(GuestMemory memory) throws GuestMemoryException {
        long access = GuestLayout.MAILBOX + Mailbox.OFFSET_FW_CFG_DMA_ACCESS;
        long data = GuestLayout.MAILBOX + Mailbox.OFFSET_FW_CFG_DMA_DATA;
        ByteBuffer config = memory.slice(data, CONFIG_SIZE).order(ByteOrder.BIG_ENDIAN);
        config.putLong(0, framebuffer.base()).putInt(8, FOURCC_XRGB8888).putInt(12, 0)
                .putInt(16, framebuffer.width()).putInt(20, framebuffer.height()).putInt(24, framebuffer.stride());
        ByteBuffer dma = memory.slice(access, DMA_ACCESS_SIZE).order(ByteOrder.BIG_ENDIAN);
        dma.putInt(0, selector << 16 | DMA_CONTROL_SELECT | DMA_CONTROL_WRITE).putInt(4, CONFIG_SIZE)
                .putLong(8, data);
        return access;
    }
}
