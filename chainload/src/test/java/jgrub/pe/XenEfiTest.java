package jgrub.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/** The real xen.efi from Debian's xen-hypervisor-4.17-amd64, the image the chainload path exists for. */
class XenEfiTest {

    @Test
    void debianXenEfi_parsesAsRelocatableEfiApplication() throws Exception {
        byte[] file = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        PeImage image = PeImage.parse(file, "xen.efi");
        assertEquals("x86-64", image.machineName());
        assertEquals("EFI application", image.subsystemName());
        assertEquals(0xffff82d040000000L, image.imageBase(), "Xen links xen.efi at its high virtual address");
        assertEquals(0x200000, image.sectionAlignment());
        assertTrue(image.isRelocatable());
        assertEquals(List.of(".text", ".rodata", ".buildid", ".init", ".data.re", ".data", ".bss", ".reloc", ".pad"),
                image.sections().stream().map(PeSection::name).toList());
        assertTrue(image.relocations().size() > 1000, "xen.efi has " + image.relocations().size() + " relocations");
    }

    @Test
    void debianXenEfi_relocatedBelow4G_keepsEveryPointerInsideTheImage() throws Exception {
        byte[] file = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        PeImage image = PeImage.parse(file, "xen.efi");
        long address = 0x7d600000L; // where GRUB on OVMF put it in a 2 GiB guest: 2 MiB aligned, below 4 GiB
        PeLoader.LoadedPe loaded = PeLoader.load(image, file, address);
        assertEquals(address + image.entryPointRva(), loaded.entryPoint());
        ByteBuffer memory = ByteBuffer.wrap(loaded.memory()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer original = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int checked = 0;
        for (PeRelocation relocation : image.relocations()) {
            if (relocation.type() != PeRelocation.DIR64) {
                continue;
            }
            long before = original.getLong(fileOffset(image, relocation.rva()));
            long after = memory.getLong((int) relocation.rva());
            assertEquals(before - image.imageBase() + address, after, "relocation at RVA 0x"
                    + Long.toHexString(relocation.rva()));
            checked++;
        }
        assertTrue(checked > 1000, "checked " + checked + " DIR64 relocations");
    }

    /** File offset of an RVA, found independently of the loader through the section table. */
    private static int fileOffset(PeImage image, long rva) {
        for (PeSection s : image.sections()) {
            if (rva >= s.virtualAddress() && rva < s.virtualAddress() + s.bytesFromFile()) {
                return (int) (s.rawOffset() + rva - s.virtualAddress());
            }
        }
        throw new AssertionError("RVA 0x" + Long.toHexString(rva) + " has no file data");
    }
}
