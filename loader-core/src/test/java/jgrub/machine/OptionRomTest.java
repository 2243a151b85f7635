package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionRomTest {

    @Test
    void signedImage_hasSignatureSizeAndZeroChecksums() {
        byte[] rom = OptionRom.image();
        assertEquals(0x55, rom[0] & 0xff);
        assertEquals(0xaa, rom[1] & 0xff);
        assertEquals(0, rom.length % 512);
        assertEquals(rom.length / 512, rom[2] & 0xff);
        assertEquals(0, OptionRom.sum(rom, 0, rom.length));
        int pnp = (rom[0x1a] & 0xff) | (rom[0x1b] & 0xff) << 8;
        assertEquals("$PnP", new String(rom, pnp, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, OptionRom.sum(rom, pnp, (rom[pnp + 5] & 0xff) * 16));
        int bev = (rom[pnp + 0x1a] & 0xff) | (rom[pnp + 0x1b] & 0xff) << 8;
        assertTrue(bev > pnp && bev < rom.length, "BEV at 0x" + Integer.toHexString(bev));
    }

    @Test
    void romSymbols_agreeWithGuestLayoutAndMailbox() {
        Map<String, Long> symbols = OptionRom.symbols();
        assertEquals(GuestLayout.LOW_CODE, symbols.get("low_entry"));
        assertEquals(GuestLayout.MAILBOX, symbols.get("MAILBOX"));
        assertEquals(GuestLayout.E820_BUFFER, symbols.get("E820_BUFFER"));
        assertEquals(GuestLayout.E820_ENTRY_SIZE, symbols.get("E820_ENTRY_SIZE"));
        assertEquals(GuestLayout.E820_MAX_ENTRIES, symbols.get("E820_MAX_ENTRIES"));
        assertEquals(GuestLayout.STACK_TOP, symbols.get("STACK_TOP"));
        assertEquals(GuestLayout.DOORBELL_PORT, symbols.get("DOORBELL_PORT"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_STATUS, symbols.get("MB_STATUS"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_REQUEST, symbols.get("MB_REQUEST"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_ARGUMENTS, symbols.get("MB_ARG0"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_REPLY, symbols.get("MB_ENTRY_MODE"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_REPLY + 7 * 8, symbols.get("MB_ENTRY_CR3"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_REPLY + 8 * 8, symbols.get("MB_ENTRY_RSI"));
        assertEquals(GuestLayout.MAILBOX + Mailbox.OFFSET_REPLY + Mailbox.REPLY_FW_CFG_DMA * 8,
                symbols.get("MB_FW_CFG_DMA"));
        assertTrue(Mailbox.OFFSET_REPLY + Mailbox.REPLIES * 8 <= Mailbox.OFFSET_FW_CFG_DMA_ACCESS,
                "the reply ends before the fw_cfg DMA access");
        assertEquals(GuestLayout.FW_CFG_DIRECTORY, symbols.get("FW_CFG_DIRECTORY"));
        assertEquals(GuestLayout.FW_CFG_DIRECTORY_SIZE, symbols.get("FW_CFG_DIRECTORY_SIZE"));
        assertEquals(GuestLayout.FW_CFG_PORT_SELECTOR, symbols.get("FW_CFG_PORT_SELECTOR"));
        assertEquals(GuestLayout.FW_CFG_PORT_DMA_HIGH, symbols.get("FW_CFG_PORT_DMA_HIGH"));
        assertEquals(GuestLayout.FW_CFG_PORT_DMA_LOW, symbols.get("FW_CFG_PORT_DMA_LOW"));
        assertEquals(Mailbox.SIGNATURE, symbols.get("SIGNATURE").intValue());
        assertEquals(Mailbox.FIRMWARE_READY, symbols.get("REQUEST_FIRMWARE_READY").intValue());
        assertEquals(Mailbox.PENDING, symbols.get("STATUS_PENDING").intValue());
        assertEquals(Mailbox.DONE, symbols.get("STATUS_DONE").intValue());
        assertEquals(Mailbox.MODE_PROTECTED32, symbols.get("MODE_PROTECTED32").intValue());
        assertEquals(Mailbox.MODE_LONG64, symbols.get("MODE_LONG64").intValue());
        assertEquals(Mailbox.MODE_REAL16, symbols.get("MODE_REAL16").intValue());
        // The working code, GDT included, must fit between the E820 page and the fw_cfg directory.
        assertTrue(symbols.get("mxcsr_default") + 4 <= GuestLayout.FW_CFG_DIRECTORY,
                "low code ends at 0x" + Long.toHexString(symbols.get("mxcsr_default")));
    }
}
