package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.Framebuffer;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding QEMU's ramfb in fw_cfg's file directory, placing its framebuffer and the DMA access that sets its mode. */
class RamfbTest {

    private static final long MIB = 1 << 20;
    /** SeaBIOS's E820 map for -m 128. */
    private static final List<MemoryRegion> MAP = List.of(
            new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
            new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
            new MemoryRegion(0x100000, 0x7ee0000, MemoryType.USABLE),
            new MemoryRegion(0x7fe0000, 0x20000, MemoryType.RESERVED));

    @TempDir
    Path temp;

    /** An FWCfgFiles directory as QEMU writes it: big-endian count, then size, select, reserved, name[56]. */
    static ByteBuffer directory(int limit, String... names) {
        ByteBuffer d = ByteBuffer.allocate(limit).order(ByteOrder.BIG_ENDIAN);
        d.putInt(0, names.length);
        for (int i = 0; i < names.length && 4 + 64 * (i + 1) <= limit; i++) {
            int at = 4 + 64 * i;
            d.putInt(at, 28).putShort(at + 4, (short) (0x20 + i));
            d.put(at + 8, names[i].getBytes(StandardCharsets.US_ASCII));
        }
        return d;
    }

    @Test
    void selector_isTheEntryNamedEtcRamfb() {
        assertEquals(Optional.of(0x22), Ramfb.selector(directory(4096, "bootorder", "etc/acpi/tables", "etc/ramfb",
                "etc/ramfb2")));
        assertEquals(Optional.empty(), Ramfb.selector(directory(4096, "bootorder", "etc/ramfbx", "etc/e820")));
    }

    @Test
    void selector_looksOnlyAtEntriesTheBufferHolds_whateverTheCountSays() {
        ByteBuffer cut = directory(4 + 64, "bootorder", "etc/ramfb");
        assertEquals(Optional.empty(), Ramfb.selector(cut));
        ByteBuffer lying = directory(4096, "etc/ramfb");
        lying.putInt(0, -1);
        assertEquals(Optional.of(0x20), Ramfb.selector(lying));
    }

    @Test
    void place_putsTheFramebufferAtTheTopOfRamBelow4G_onAMebibyte() {
        Framebuffer fb = Ramfb.place(MAP, 1024, 768).orElseThrow();
        assertEquals(0x7c00000L, fb.base(), "0x7fe0000 - 3 MiB, aligned down: " + Long.toHexString(fb.base()));
        assertEquals(4096, fb.stride());
        assertEquals(3 * MIB, fb.size());
        List<MemoryRegion> high = List.of(new MemoryRegion(0x100000, 0xbff00000L, MemoryType.USABLE),
                new MemoryRegion(0x100000000L, 1L << 30, MemoryType.USABLE));
        assertEquals(0xc0000000L - 3 * MIB, Ramfb.place(high, 1024, 768).orElseThrow().base(), "not above 4 GiB");
        assertEquals(Optional.empty(), Ramfb.place(List.of(new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x100000, 2 * MIB, MemoryType.USABLE)), 1024, 768), "nothing holds 3 MiB");
    }

    @Test
    void prepareModeSet_writesABigEndianDmaAccessAndRamfbConfig_inTheMailboxPage() throws IOException,
            GuestMemoryException {
        GuestMemory memory = memory();
        Ramfb ramfb = new Ramfb(0x23, new Framebuffer(0x7b00000, 1024, 768, 4096));
        long access = ramfb.prepareModeSet(memory);
        assertEquals(GuestLayout.MAILBOX + 0x100, access);
        ByteBuffer dma = memory.slice(access, 16).order(ByteOrder.BIG_ENDIAN);
        assertEquals(0x00230018, dma.getInt(0), "selector 0x23, SELECT | WRITE");
        assertEquals(28, dma.getInt(4));
        long data = dma.getLong(8);
        ByteBuffer cfg = memory.slice(data, 28).order(ByteOrder.BIG_ENDIAN);
        assertEquals(0x7b00000, cfg.getLong(0));
        assertEquals(0x34325258, cfg.getInt(8), "XR24");
        assertEquals(0, cfg.getInt(12));
        assertEquals(1024, cfg.getInt(16));
        assertEquals(768, cfg.getInt(20));
        assertEquals(4096, cfg.getInt(24));
        assertTrue(data >= access + 16 && data + 28 <= GuestLayout.MAILBOX + 0x1000);
    }

    @Test
    void planWriter_refusesSegmentsOverTheFramebuffer() throws IOException {
        Framebuffer fb = new Framebuffer(0x7b00000, 1024, 768, 4096);
        Firmware firmware = new Firmware(MAP, Optional.empty(), GuestLayout.loaderReserved(), Optional.of(fb));
        BootPlan plan = new BootPlan("test", List.of(Segment.of("kernel", 0x7c00000, new byte[16])),
                new EntryState.Protected32(0x100000, 1, 2, 3));
        BootException e = assertThrows(BootException.class, () -> PlanWriter.write(plan, firmware, memory()));
        assertTrue(e.getMessage().contains("overlaps the display's framebuffer [0x7b00000, 0x7e00000)"),
                e.getMessage());
    }

    private GuestMemory memory() throws IOException {
        Path file = temp.resolve("ram");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(128 * MIB);
        }
        return GuestMemory.map(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), 128 * MIB);
    }
}
