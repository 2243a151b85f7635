package jgrub.efi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * An EFI_GUID: in memory the first three fields are little-endian and the last eight bytes are as written (UEFI 2.10
 * appendix A); its text form is {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}.
 */
public record EfiGuid(long high, long low) {

    public static final int SIZE = 16;

    public static final EfiGuid LOADED_IMAGE = parse("5B1B31A1-9562-11D2-8E3F-00A0C969723B");
    public static final EfiGuid LOADED_IMAGE_DEVICE_PATH = parse("BC62157E-3E33-4FEC-9920-2D3B36D750DF");
    public static final EfiGuid DEVICE_PATH = parse("09576E91-6D3F-11D2-8E39-00A0C969723B");
    public static final EfiGuid DEVICE_PATH_TO_TEXT = parse("8B843E20-8132-4852-90CC-551A4E4A7F1C");
    public static final EfiGuid SIMPLE_FILE_SYSTEM = parse("964E5B22-6459-11D2-8E39-00A0C969723B");
    public static final EfiGuid FILE_INFO = parse("09576E92-6D3F-11D2-8E39-00A0C969723B");
    public static final EfiGuid FILE_SYSTEM_INFO = parse("09576E93-6D3F-11D2-8E39-00A0C969723B");
    public static final EfiGuid FILE_SYSTEM_VOLUME_LABEL = parse("DB47D7D3-FE81-11D3-9A35-0090273FC14D");
    public static final EfiGuid BLOCK_IO = parse("964E5B21-6459-11D2-8E39-00A0C969723B");
    public static final EfiGuid DISK_IO = parse("CE345171-BA0B-11D2-8E4F-00A0C969723B");
    public static final EfiGuid SIMPLE_TEXT_OUTPUT = parse("387477C2-69C7-11D2-8E39-00A0C969723B");
    public static final EfiGuid SIMPLE_TEXT_INPUT = parse("387477C1-69C7-11D2-8E39-00A0C969723B");
    public static final EfiGuid SIMPLE_TEXT_INPUT_EX = parse("DD9E7534-7762-4698-8C14-F58517A625AA");
    public static final EfiGuid RNG = parse("3152BCA5-EADE-433D-862E-C01CDC291F44");
    public static final EfiGuid MEMORY_ATTRIBUTE = parse("F4560CF6-40EC-4B4A-A192-BF1D57D0B189");
    public static final EfiGuid GRAPHICS_OUTPUT = parse("9042A9DE-23DC-4A38-96FB-7ADED080516A");
    public static final EfiGuid ACPI_20_TABLE = parse("8868E871-E4F1-11D3-BC22-0080C73C8881");
    public static final EfiGuid ACPI_TABLE = parse("EB9D2D30-2D88-11D3-9A16-0090273FC14D");
    public static final EfiGuid SMBIOS_TABLE = parse("EB9D2D31-2D88-11D3-9A16-0090273FC14D");
    public static final EfiGuid SMBIOS3_TABLE = parse("F2FD1544-9794-4A2C-992E-E5BBCF20E394");
    public static final EfiGuid GLOBAL_VARIABLE = parse("8BE4DF61-93CA-11D2-AA0D-00E098032B8C");
    public static final EfiGuid LOAD_FILE2 = parse("4006C0C1-FCB3-403E-996D-4A6C8724E06D");
    /** The vendor media node Linux's EFI stub looks for its initrd under (Linux include/linux/efi.h). */
    public static final EfiGuid LINUX_EFI_INITRD_MEDIA = parse("5568E427-68FC-4F3D-AC74-CA555231CC68");

    /**
     * Spec names of protocols guests ask for, those jgrub serves and those it does not, so that the trace of a
     * HandleProtocol, LocateProtocol or LocateHandle that finds nothing says which protocol was missing.
     */
    private static final java.util.Map<EfiGuid, String> NAMES = java.util.Map.ofEntries(
            java.util.Map.entry(LOADED_IMAGE, "EFI_LOADED_IMAGE_PROTOCOL"),
            java.util.Map.entry(LOADED_IMAGE_DEVICE_PATH, "EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL"),
            java.util.Map.entry(DEVICE_PATH, "EFI_DEVICE_PATH_PROTOCOL"),
            java.util.Map.entry(DEVICE_PATH_TO_TEXT, "EFI_DEVICE_PATH_TO_TEXT_PROTOCOL"),
            java.util.Map.entry(SIMPLE_FILE_SYSTEM, "EFI_SIMPLE_FILE_SYSTEM_PROTOCOL"),
            java.util.Map.entry(BLOCK_IO, "EFI_BLOCK_IO_PROTOCOL"),
            java.util.Map.entry(DISK_IO, "EFI_DISK_IO_PROTOCOL"),
            java.util.Map.entry(SIMPLE_TEXT_OUTPUT, "EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL"),
            java.util.Map.entry(SIMPLE_TEXT_INPUT, "EFI_SIMPLE_TEXT_INPUT_PROTOCOL"),
            java.util.Map.entry(GRAPHICS_OUTPUT, "EFI_GRAPHICS_OUTPUT_PROTOCOL"),
            java.util.Map.entry(SIMPLE_TEXT_INPUT_EX, "EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL"),
            java.util.Map.entry(parse("56EC3091-954C-11D2-8E3F-00A0C969723B"), "EFI_LOAD_FILE_PROTOCOL"),
            java.util.Map.entry(LOAD_FILE2, "EFI_LOAD_FILE2_PROTOCOL"),
            java.util.Map.entry(RNG, "EFI_RNG_PROTOCOL"),
            java.util.Map.entry(MEMORY_ATTRIBUTE, "EFI_MEMORY_ATTRIBUTE_PROTOCOL"),
            java.util.Map.entry(parse("4CF5B200-68B8-4CA5-9EEC-B23E3F50029A"), "EFI_PCI_IO_PROTOCOL"),
            java.util.Map.entry(parse("982C298B-F4FA-41CB-B838-77AA688FB839"), "EFI_UGA_DRAW_PROTOCOL"),
            java.util.Map.entry(parse("607F766C-7455-42BE-930B-E4D76DB2720F"), "EFI_TCG2_PROTOCOL"),
            java.util.Map.entry(parse("605DAB50-E046-4300-ABB6-3DD810DD8B23"), "SHIM_LOCK_PROTOCOL"));

    /** The GUID with its protocol's name when it is a protocol named in {@link #NAMES}. */
    public String describe() {
        String name = NAMES.get(this);
        return name == null ? toString() : name + " " + this;
    }

    /** Parses the registry form, e.g. {@code 5B1B31A1-9562-11D2-8E3F-00A0C969723B}. */
    public static EfiGuid parse(String text) {
        String hex = text.replace("-", "");
        if (hex.length() != 32 || text.length() != 36 || !hex.matches("[0-9A-Fa-f]{32}")) {
            throw new IllegalArgumentException("not a GUID: " + text);
        }
        return new EfiGuid(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** Reads the 16 bytes at the buffer's position in memory order. */
    public static EfiGuid read(ByteBuffer source) {
        ByteBuffer b = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        long data1 = Integer.toUnsignedLong(b.getInt(0));
        long data2 = Short.toUnsignedLong(b.getShort(4));
        long data3 = Short.toUnsignedLong(b.getShort(6));
        long low = b.order(ByteOrder.BIG_ENDIAN).getLong(8);
        return new EfiGuid(data1 << 32 | data2 << 16 | data3, low);
    }

    public static EfiGuid fromBytes(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, (int) (high >>> 32));
        b.putShort(4, (short) (high >>> 16));
        b.putShort(6, (short) high);
        b.order(ByteOrder.BIG_ENDIAN).putLong(8, low);
        return b.array();
    }

    @Override
    public String toString() {
        String h = String.format("%016X", high);
        String l = String.format("%016X", low);
        return (h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12) + "-" + l.substring(0, 4) + "-"
                + l.substring(4)).toUpperCase(Locale.ROOT);
    }
}
