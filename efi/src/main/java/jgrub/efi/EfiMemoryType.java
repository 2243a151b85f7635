package jgrub.efi;

/** EFI_MEMORY_TYPE (UEFI 2.10 section 7.2, table 7.6). */
public enum EfiMemoryType {
    RESERVED,
    LOADER_CODE,
    LOADER_DATA,
    BOOT_SERVICES_CODE,
    BOOT_SERVICES_DATA,
    RUNTIME_SERVICES_CODE,
    RUNTIME_SERVICES_DATA,
    CONVENTIONAL,
    UNUSABLE,
    ACPI_RECLAIM,
    ACPI_NVS,
    MEMORY_MAPPED_IO,
    MEMORY_MAPPED_IO_PORT_SPACE,
    PAL_CODE,
    PERSISTENT;

    /** The type's number in the memory map. */
    public int code() {
        return ordinal();
    }

    /** Types 0x70000000..0x7FFFFFFF are OEM-defined and 0x80000000..0xFFFFFFFF OS-defined; both may be allocated. */
    static final long OEM_FIRST = 0x70000000L;

    static String name(long code) {
        if (code >= 0 && code < values().length) {
            return values()[(int) code].name();
        }
        return code >= OEM_FIRST && code <= 0xFFFFFFFFL ? String.format("0x%08x", code) : "invalid " + code;
    }
}
