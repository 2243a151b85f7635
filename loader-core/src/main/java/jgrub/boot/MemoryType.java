package jgrub.boot;

/** Address-range types of the firmware memory map, numbered as ACPI 6.4 table 15.312 (INT 15h E820) numbers them. */
public enum MemoryType {
    USABLE(1),
    RESERVED(2),
    ACPI_RECLAIMABLE(3),
    ACPI_NVS(4),
    BAD(5);

    private final int e820;

    MemoryType(int e820) {
        this.e820 = e820;
    }

    /** The E820 type number, which Multiboot 1 and 2 memory maps pass on unchanged. */
    public int e820() {
        return e820;
    }

    /** E820 types above 5 are vendor-defined; ACPI says to treat them as reserved. */
    public static MemoryType ofE820(int type) {
        for (MemoryType t : values()) {
            if (t.e820 == type) {
                return t;
            }
        }
        return RESERVED;
    }
}
