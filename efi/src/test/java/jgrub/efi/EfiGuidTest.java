package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EfiGuidTest {

    @Test
    void loadedImageGuid_hasTheSpecificationsByteOrder() {
        // EFI_LOADED_IMAGE_PROTOCOL_GUID {0x5B1B31A1,0x9562,0x11d2,{0x8E,0x3F,0x00,0xA0,0xC9,0x69,0x72,0x3B}}
        byte[] expected = {(byte) 0xA1, 0x31, 0x1B, 0x5B, 0x62, (byte) 0x95, (byte) 0xD2, 0x11, (byte) 0x8E, 0x3F,
            0x00, (byte) 0xA0, (byte) 0xC9, 0x69, 0x72, 0x3B};
        assertArrayEquals(expected, EfiGuid.LOADED_IMAGE.toBytes());
        assertEquals(EfiGuid.LOADED_IMAGE, EfiGuid.fromBytes(expected));
    }

    @Test
    void text_roundTrips() {
        assertEquals("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", EfiGuid.parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
                .toString());
    }

    @Test
    void malformedText_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> EfiGuid.parse("C12A7328F81F11D2BA4B00A0C93EC93B"));
    }
}
