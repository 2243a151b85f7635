package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EfiDevicePathTest {

    static final EfiGuid PARTITION = EfiGuid.parse("0E1D2C3B-4A59-6877-8695-A4B3C2D1E0F0");

    static EfiDevicePath xenEfi() {
        return EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 0), new EfiDevicePath.Pci(1, 1),
                new EfiDevicePath.HardDrive(1, 0x800, 0x40000, PARTITION, 0),
                new EfiDevicePath.FilePath("\\EFI\\xen\\xen.efi"));
    }

    @Test
    void text_isWhatEdk2Prints() {
        assertEquals("PciRoot(0x0)/Pci(0x1,0x1)/HD(1,GPT,0E1D2C3B-4A59-6877-8695-A4B3C2D1E0F0,0x800,0x40000)/"
                + "\\EFI\\xen\\xen.efi", xenEfi().text());
    }

    @Test
    void encodeDecode_roundTrips() throws Exception {
        byte[] bytes = xenEfi().encode();
        assertEquals(12 + 6 + 42 + (4 + 2 * 17) + 4, bytes.length);
        EfiDevicePath decoded = EfiDevicePath.decode(ByteBuffer.wrap(bytes));
        assertEquals(xenEfi().text(), decoded.text());
        assertArrayEquals(bytes, decoded.encode());
    }

    @Test
    void filePath_joinsFileNodes_asXenWalksThem() {
        EfiDevicePath path = EfiDevicePath.of(new EfiDevicePath.FilePath("\\EFI"), new EfiDevicePath.FilePath("xen"),
                new EfiDevicePath.FilePath("xen.efi"));
        assertEquals("\\EFI\\xen\\xen.efi", path.filePath());
    }

    @Test
    void startsWith_comparesWholeNodes() {
        EfiDevicePath partition = EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 0),
                new EfiDevicePath.Pci(1, 1), new EfiDevicePath.HardDrive(1, 0x800, 0x40000, PARTITION, 0));
        assertTrue(xenEfi().startsWith(partition));
        assertTrue(!partition.startsWith(xenEfi()));
    }

    @Test
    void nodeLongerThanTheBuffer_isInvalid() {
        byte[] bytes = xenEfi().encode();
        bytes[2] = (byte) 0xF0; // first node claims 0xF0 bytes... still inside; make it claim past the end
        bytes[3] = 0x10;
        EfiException e = assertThrows(EfiException.class, () -> EfiDevicePath.decode(ByteBuffer.wrap(bytes)));
        assertEquals("EFI_INVALID_PARAMETER: device path node at byte 0 has length 4336", e.getMessage());
    }

    @Test
    void pathWithoutEnd_isInvalid() {
        byte[] bytes = xenEfi().encode();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        EfiException e = assertThrows(EfiException.class, () -> EfiDevicePath.decode(ByteBuffer.wrap(cut)));
        assertEquals(EfiStatus.INVALID_PARAMETER, e.status());
    }

    @Test
    void zeroLengthNode_isInvalid_notALoop() {
        byte[] bytes = {4, 4, 0, 0, 0x7f, (byte) 0xff, 4, 0};
        EfiException e = assertThrows(EfiException.class, () -> EfiDevicePath.decode(ByteBuffer.wrap(bytes)));
        assertEquals("EFI_INVALID_PARAMETER: device path node at byte 0 has length 0", e.getMessage());
    }
}
