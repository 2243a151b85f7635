package jgrub.boot;

import java.util.List;
import java.util.Optional;

/**
 * What the platform firmware told jgrub before the handoff: its memory map (E820 as SeaBIOS reports it), the ACPI root
 * pointer if it built ACPI tables, the ranges jgrub itself occupies in guest memory (option ROM, stubs, stack),
 * which no loader may place anything over, and the display's framebuffer when the machine has a display (it lies in
 * RAM the map calls usable; no loader may place anything over it either).
 */
public record Firmware(List<MemoryRegion> memoryMap, Optional<AcpiRsdp> rsdp, List<MemoryRegion> loaderReserved,
        Optional<Framebuffer> framebuffer) {

    public Firmware {
        memoryMap = List.copyOf(memoryMap);
        loaderReserved = List.copyOf(loaderReserved);
    }

    /** A machine without a display. */
    public Firmware(List<MemoryRegion> memoryMap, Optional<AcpiRsdp> rsdp, List<MemoryRegion> loaderReserved) {
        this(memoryMap, rsdp, loaderReserved, Optional.empty());
    }

    /** ACPI Root System Description Pointer as found in the BIOS area: its address and its bytes (20 or 36 of them). */
    public record AcpiRsdp(long address, byte[] bytes) {
        /** 0 for ACPI 1.0 (20-byte RSDP), 2 or more for ACPI 2.0+ (36-byte RSDP with XSDT); ACPI 6.4 section 5.2.5.3. */
        public int revision() {
            return Byte.toUnsignedInt(bytes[15]);
        }
    }
}
