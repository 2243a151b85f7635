package jgrub.linux;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.Contents;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import jgrub.testing.FuzzProperty;
import org.junit.jupiter.api.Assertions;

/**
 * A Linux kernel file as {@code linux} and {@code linux16} meet it: the bzImage setup header checked, the kernel
 * loaded with a command line and an initrd, and planned on SeaBIOS's memory map. Only {@link BootException}s may come
 * out, each one line, and every segment of a plan lies in usable RAM.
 *
 * <p>Seeds in {@code src/test/resources/jgrub/linux/BzImageFuzzTestInputs/kernel/}: {@code bzimage-2.15.bin}, the
 * 4 KiB protocol-2.15 image {@link Images#bzImage()} builds, and {@code bzimage-2.02.bin}, the same as protocol 2.02
 * (not relocatable, no pref_address); anything else there is an input that once failed.
 */
class BzImageFuzzTest {

    private static final List<Class<? extends Exception>> ALLOWED = List.of(BootException.class);

    @FuzzTest(maxDuration = "5m")
    void kernel(byte[] file) {
        Firmware firmware = Images.firmware(Images.seabios2g());
        Initrd initrd = new Initrd(List.of(new Initrd.File("/initrd.img", Contents.of(new byte[0x1234]))));
        FuzzProperty.check(ALLOWED, () -> inGuestRam(LinuxKernel.load("vmlinuz", file, List.of("root=/dev/sda",
                "console=ttyS0")).withInitrd(initrd).plan(firmware).segments(), firmware));
        FuzzProperty.check(ALLOWED, () -> inGuestRam(Linux16Kernel.load("vmlinuz", file, List.of("quiet"))
                .withInitrd(initrd).plan(firmware).segments(), firmware));
    }

    private static void inGuestRam(List<Segment> segments, Firmware firmware) {
        for (Segment s : segments) {
            Assertions.assertTrue(firmware.memoryMap().stream().anyMatch(r -> r.type() == MemoryType.USABLE
                    && s.address() >= r.base() && s.end() <= r.base() + r.length()),
                    () -> s.name() + " at 0x" + Long.toHexString(s.address()) + " is not in usable RAM");
        }
    }
}
