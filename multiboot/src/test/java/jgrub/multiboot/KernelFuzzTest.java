package jgrub.multiboot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.multiboot.inspect.Inspector;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.testing.FuzzProperty;
import org.junit.jupiter.api.Assertions;

/**
 * A kernel file as {@code multiboot2}, {@code multiboot} and {@code jgrub inspect} meet it: gzip or xz unpacked, ELF32,
 * ELF64 or a.out kludge, Multiboot 1 and 2 headers and tags checked, loaded and planned on SeaBIOS's memory map (on
 * EFI, loaded only: its plan needs jgrub's EFI environment). Only {@link BootException}s may come out, each one
 * line; and every segment a plan holds lies in usable RAM, so no input makes jgrub write outside guest memory or
 * over its own pages.
 *
 * <p>Seeds in {@code src/test/resources/jgrub/multiboot/KernelFuzzTestInputs/kernel/}: the three small images
 * {@link HeaderFuzzTest#seeds()} builds (an ELF32 with a Multiboot 2 header of every tag kind, an ELF64 with the
 * a.out-kludge address tag, an ELF32 Multiboot 1 kernel with the video fields), written as they are built; anything
 * else there is an input that once failed.
 */
class KernelFuzzTest {

    private static final List<Class<? extends Exception>> ALLOWED = List.of(BootException.class);

    @FuzzTest(maxDuration = "5m")
    void kernel(byte[] file) {
        Firmware firmware = FirmwareMaps.seabios();
        FuzzProperty.check(ALLOWED, () -> inGuestRam(Multiboot2.load("k", file, List.of("a"), Platform.PC)
                .plan(firmware), firmware));
        FuzzProperty.check(ALLOWED, () -> Multiboot2.load("k", file, List.of(), Platform.EFI));
        FuzzProperty.check(ALLOWED, () -> inGuestRam(Multiboot1.load("k", file, List.of("a"), List.of())
                .plan(firmware), firmware));
        FuzzProperty.check(ALLOWED, () -> Inspector.describe("k", file));
    }

    /** Every segment inside one usable E820 region and clear of jgrub's reserved pages. */
    static void inGuestRam(BootPlan plan, Firmware firmware) {
        for (Segment s : plan.segments()) {
            boolean usable = firmware.memoryMap().stream().anyMatch(r -> r.type() == MemoryType.USABLE
                    && s.address() >= r.base() && s.end() <= r.base() + r.length());
            Assertions.assertTrue(usable, () -> s.name() + " at 0x" + Long.toHexString(s.address()) + "-0x"
                    + Long.toHexString(s.end()) + " is not in usable RAM");
            for (MemoryRegion own : firmware.loaderReserved()) {
                Assertions.assertTrue(s.end() <= own.base() || s.address() >= own.base() + own.length(),
                        () -> s.name() + " overlaps jgrub's own 0x" + Long.toHexString(own.base()));
            }
        }
    }
}
