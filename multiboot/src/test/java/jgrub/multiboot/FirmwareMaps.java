package jgrub.multiboot;

import java.util.List;
import java.util.Optional;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/** Firmware reports as SeaBIOS under QEMU's {@code pc} machine gives them. */
public final class FirmwareMaps {

    private FirmwareMaps() {
    }

    /**
     * The E820 map of SeaBIOS under QEMU 7.2 {@code -machine pc -m 2048}, as real GRUB passed it on (recorded in
     * {@code grub/grub-pc-mb2.txt}); the last entry is QEMU's reservation of the HyperTransport range.
     */
    public static List<MemoryRegion> seabios2g() {
        return List.of(
                new MemoryRegion(0x0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
                new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x100000, 0x7fee0000L, MemoryType.USABLE),
                new MemoryRegion(0x7ffe0000L, 0x20000, MemoryType.RESERVED),
                new MemoryRegion(0xfffc0000L, 0x40000, MemoryType.RESERVED),
                new MemoryRegion(0xfd00000000L, 0x300000000L, MemoryType.RESERVED));
    }

    /** An ACPI 1.0 RSDP as SeaBIOS builds it at 0xf5a10 (revision 0). */
    public static Firmware.AcpiRsdp rsdpV1() {
        byte[] b = new byte[20];
        System.arraycopy("RSD PTR BOCHS ".getBytes(), 0, b, 0, 14);
        b[15] = 0;
        TestImages.putInt(b, 16, 0x7ffe1b2aL);
        int sum = 0;
        for (byte x : b) {
            sum += x;
        }
        b[8] = (byte) -sum;
        return new Firmware.AcpiRsdp(0xf5a10, b);
    }

    /** jgrub's own memory as the machine would report it: option ROM data and stubs in low memory. */
    public static List<MemoryRegion> loaderReserved() {
        return List.of(new MemoryRegion(0x7000, 0x1000, MemoryType.RESERVED));
    }

    public static Firmware seabios() {
        return new Firmware(seabios2g(), Optional.of(rsdpV1()), loaderReserved());
    }
}
