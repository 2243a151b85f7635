package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * jgrub's option ROM (built from {@code src/main/rom/jgrub-rom.S}), made ready for QEMU's {@code -option-rom}: padded
 * to whole 512-byte blocks, with its size in byte 2, the PnP header's checksum, and a last byte that makes all bytes
 * sum to zero (PCI Firmware Specification 3.0 section 5.1; BIOS Boot Specification 1.01 appendix A).
 */
final class OptionRom {

    static final String IMAGE = "option-rom.bin";
    static final String SYMBOLS = "option-rom.sym";
    private static final int BLOCK = 512;
    private static final int PNP_POINTER = 0x1a;
    private static final int PNP_LENGTH = 5;
    private static final int PNP_CHECKSUM = 9;

    private OptionRom() {
    }

    /** The signed image, ready to hand to QEMU. */
    static byte[] image() {
        return sign(resource(IMAGE));
    }

    static byte[] sign(byte[] unsigned) {
        // One byte more than the code, for the checksum.
        int blocks = (unsigned.length + 1 + BLOCK - 1) / BLOCK;
        if (blocks > 255 || unsigned.length < 0x1c || unsigned[0] != 0x55 || unsigned[1] != (byte) 0xaa) {
            throw new IllegalStateException("the built option ROM image is malformed (" + unsigned.length + " bytes)");
        }
        byte[] rom = Arrays.copyOf(unsigned, blocks * BLOCK);
        rom[2] = (byte) blocks;
        int pnp = Short.toUnsignedInt((short) ((rom[PNP_POINTER] & 0xff) | (rom[PNP_POINTER + 1] & 0xff) << 8));
        int pnpLength = (rom[pnp + PNP_LENGTH] & 0xff) * 16;
        rom[pnp + PNP_CHECKSUM] = 0;
        rom[pnp + PNP_CHECKSUM] = (byte) -sum(rom, pnp, pnpLength);
        rom[rom.length - 1] = 0;
        rom[rom.length - 1] = (byte) -sum(rom, 0, rom.length);
        return rom;
    }

    static int sum(byte[] bytes, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += bytes[i];
        }
        return sum & 0xff;
    }

    /** The ROM's symbols (name to value), as {@code nm} listed them at build time. */
    static Map<String, Long> symbols() {
        Map<String, Long> symbols = new HashMap<>();
        for (String line : new String(resource(SYMBOLS), StandardCharsets.US_ASCII).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3) {
                symbols.put(fields[2], Long.parseUnsignedLong(fields[0], 16));
            }
        }
        return symbols;
    }

    private static byte[] resource(String name) {
        try (InputStream in = OptionRom.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the option ROM resource " + name
                        + " is missing: loader-core was built without binutils");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
