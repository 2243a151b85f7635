package jgrub.pe;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jgrub.testing.FuzzProperty;
import org.junit.jupiter.api.Assertions;

/**
 * A PE32+ file as {@code chainloader} and the guest's {@code LoadImage} meet it: headers, sections and base relocations
 * checked by {@link PeImage#parse}, then laid out and relocated by {@link PeLoader#load} at a new address (as xen.efi
 * must be) and at its own ImageBase. Only {@link PeFormatException}s may come out, each one line; a loaded image is
 * exactly SizeOfImage bytes with its entry point inside.
 *
 * <p>Seeds in {@code src/test/resources/jgrub/pe/PeFuzzTestInputs/pe/}: {@code tiny.efi}, what {@link TinyPe#build}
 * makes (two sections, DIR64 relocations), and {@code snponly.efi}, iPXE's SNP-only EFI application from Debian's
 * {@code ipxe} package ({@code /usr/lib/ipxe/snponly.efi}); anything else there is an input that once failed.
 */
class PeFuzzTest {

    private static final List<Class<? extends Exception>> ALLOWED = List.of(PeFormatException.class);

    @FuzzTest(maxDuration = "5m")
    void pe(byte[] file) {
        FuzzProperty.check(ALLOWED, () -> {
            PeImage image = PeImage.parse(file, "fuzz.efi");
            long alignment = Math.max(image.sectionAlignment(), 4096);
            long address = (0x10000000L + alignment - 1) / alignment * alignment;
            check(image, PeLoader.load(image, file, address));
            check(image, PeLoader.load(image, file, image.imageBase()));
        });
    }

    private static void check(PeImage image, PeLoader.LoadedPe loaded) {
        Assertions.assertEquals(image.sizeOfImage(), loaded.memory().length);
        Assertions.assertTrue(loaded.entryPoint() >= loaded.address()
                && loaded.entryPoint() < loaded.address() + loaded.memory().length, "entry point outside the image");
    }
}
