package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EFI_RNG_PROTOCOL and EFI_MEMORY_ATTRIBUTE_PROTOCOL as a guest finds and calls them, good and wild arguments. */
class EfiRngAndMemoryAttributeTest {

    private final EfiHarness h;
    private final long rng;
    private final long attributes;

    EfiRngAndMemoryAttributeTest() throws EfiException {
        h = new EfiHarness();
        rng = locate(EfiGuid.RNG);
        attributes = locate(EfiGuid.MEMORY_ATTRIBUTE);
    }

    private long locate(EfiGuid guid) throws EfiException {
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_PROTOCOL, h.guid(guid), 0, out));
        return h.readU64(out);
    }

    @Test
    void rngGetInfo_sizeFirst_thenTheRawAlgorithm() throws Exception {
        long size = h.u64(0);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.RNG_GET_INFO, rng, size, 0));
        assertEquals(16, h.readU64(size));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_INFO, rng, size, 0), "no list");
        long list = h.alloc(16);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.RNG_GET_INFO, rng, size, list));
        assertEquals(EfiRngProtocol.ALGORITHM_RAW, h.guest.readGuid(list));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_INFO, rng, 0, list));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_INFO, rng, EfiHarness.RAM + 16L, list));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_INFO, rng + 8, size, list), "wrong This");
    }

    @Test
    void rngGetRng_fillsTheBuffer_byDefaultOrRaw_andRefusesOtherAlgorithmsAndWildBuffers() throws Exception {
        long buffer = h.alloc(4096);
        long guard = h.alloc(16);
        h.guest.write(guard, new byte[16]);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.RNG_GET_RNG, rng, 0, 4096, buffer));
        byte[] first = h.guest.read(buffer, 4096);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.RNG_GET_RNG, rng, h.guid(EfiRngProtocol.ALGORITHM_RAW),
                4096, buffer));
        byte[] second = h.guest.read(buffer, 4096);
        assertFalse(Arrays.equals(first, second), "two draws of 4096 bytes differ");
        assertFalse(Arrays.equals(new byte[4096], second));
        assertArrayEquals(new byte[16], h.guest.read(guard, 16), "nothing written past the buffer");
        long drbg = h.guid(EfiGuid.parse("44F0DE6E-4D8C-4045-A8C7-4DD168856B9E"));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.RNG_GET_RNG, rng, drbg, 16, buffer));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_RNG, rng, 0, 0, buffer), "length 0");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_RNG, rng, 0, 16, 0), "NULL buffer");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_RNG, rng, 0, -1, buffer), "absurd");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_RNG, rng, 0, 0x1000,
                EfiHarness.RAM - 0x800L), "buffer running out of RAM");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.RNG_GET_RNG, rng, EfiHarness.RAM + 64L, 16,
                buffer), "wild algorithm pointer");
    }

    @Test
    void memoryAttributes_setClearAndGet_perPageRange() throws Exception {
        long out = h.u64(0);
        long base = 0x2000000;
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, base, 0x4000, out));
        assertEquals(0, h.readU64(out), "nothing set: RWX");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_SET_ATTRIBUTES, attributes, base, 0x4000,
                EfiMemoryAttributeProtocol.XP));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_SET_ATTRIBUTES, attributes, base + 0x1000, 0x1000,
                EfiMemoryAttributeProtocol.RO));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, base + 0x1000, 0x1000,
                out));
        assertEquals(EfiMemoryAttributeProtocol.XP | EfiMemoryAttributeProtocol.RO, h.readU64(out));
        assertEquals(EfiStatus.NO_MAPPING, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, base, 0x4000, out),
                "different attributes inside the range");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_CLEAR_ATTRIBUTES, attributes, base, 0x4000,
                EfiMemoryAttributeProtocol.XP));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, base + 0x1000, 0x1000,
                out));
        assertEquals(EfiMemoryAttributeProtocol.RO, h.readU64(out));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_CLEAR_ATTRIBUTES, attributes, base, 0x4000,
                EfiMemoryAttributeProtocol.RO));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, 0, EfiHarness.RAM,
                out));
        assertEquals(0, h.readU64(out), "all cleared again");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty range, 2000000, 0, 4000, INVALID_PARAMETER",
        "unaligned base, 2000010, 1000, 4000, INVALID_PARAMETER",
        "unaligned length, 2000000, 10, 4000, INVALID_PARAMETER",
        "no attributes, 2000000, 1000, 0, INVALID_PARAMETER",
        "EFI_MEMORY_WB is not one of RP XP RO, 2000000, 1000, 8, INVALID_PARAMETER",
        "wraps past the end of memory, fffffffffffff000, 2000, 4000, INVALID_PARAMETER",
        "outside RAM, 8000000, 1000, 4000, UNSUPPORTED",
        "runs out of RAM, 3fff000, 2000, 4000, UNSUPPORTED"})
    void memoryAttributes_refuseWildRanges(String what, String base, String length, String attrs, String status)
            throws Exception {
        long expected = status.equals("UNSUPPORTED") ? EfiStatus.UNSUPPORTED : EfiStatus.INVALID_PARAMETER;
        long b = Long.parseUnsignedLong(base, 16);
        long l = Long.parseUnsignedLong(length, 16);
        long a = Long.parseUnsignedLong(attrs, 16);
        assertEquals(expected, h.call(EfiService.MEMORY_SET_ATTRIBUTES, attributes, b, l, a), what);
        if (a != 0 && a != 8) {
            assertEquals(expected, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, b, l, h.u64(0)), what);
        }
    }

    @Test
    void memoryAttributes_jgrubsStubsStay_andWildOutputPointersAreRefused() throws Exception {
        assertEquals(EfiStatus.ACCESS_DENIED, h.call(EfiService.MEMORY_SET_ATTRIBUTES, attributes,
                h.efi.stubCode(), 0x1000, EfiMemoryAttributeProtocol.XP));
        assertEquals(EfiStatus.ACCESS_DENIED, h.call(EfiService.MEMORY_SET_ATTRIBUTES, attributes,
                h.efi.mailbox(), 0x1000, EfiMemoryAttributeProtocol.RO));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, 0x2000000,
                0x1000, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes, 0x2000000,
                0x1000, EfiHarness.RAM + 8L));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.MEMORY_GET_ATTRIBUTES, attributes + 8, 0x2000000,
                0x1000, h.u64(0)), "wrong This");
    }
}
