package jgrub.efi;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Layout of the tables every EFI image starts from (UEFI 2.10 sections 4.2 to 4.6): offsets within each structure,
 * their signatures and the header CRC. jgrub writes them into guest memory once and updates them in place.
 */
final class EfiTables {

    private EfiTables() {
    }

    /** EFI_TABLE_HEADER (section 4.2): Signature u64, Revision u32, HeaderSize u32, CRC32 u32, Reserved u32. */
    static final int HEADER_SIZE = 24;
    static final int HEADER_CRC = 16;
    /** UEFI 2.70, the revision jgrub reports in every table header and the system table. */
    static final int REVISION = (2 << 16) | 70;

    static final long SYSTEM_TABLE_SIGNATURE = 0x5453595320494249L; // "IBI SYST"
    static final long BOOT_SERVICES_SIGNATURE = 0x56524553544f4f42L; // "BOOTSERV"
    static final long RUNTIME_SERVICES_SIGNATURE = 0x56524553544e5552L; // "RUNTSERV"

    /** EFI_SYSTEM_TABLE fields (section 4.3). */
    static final int ST_FIRMWARE_VENDOR = 24;
    static final int ST_FIRMWARE_REVISION = 32;
    static final int ST_CONSOLE_IN_HANDLE = 40;
    static final int ST_CON_IN = 48;
    static final int ST_CONSOLE_OUT_HANDLE = 56;
    static final int ST_CON_OUT = 64;
    static final int ST_STANDARD_ERROR_HANDLE = 72;
    static final int ST_STD_ERR = 80;
    static final int ST_RUNTIME_SERVICES = 88;
    static final int ST_BOOT_SERVICES = 96;
    static final int ST_NUMBER_OF_TABLE_ENTRIES = 104;
    static final int ST_CONFIGURATION_TABLE = 112;
    static final int SYSTEM_TABLE_SIZE = 120;

    /** EFI_CONFIGURATION_TABLE (section 4.6): VendorGuid, then VendorTable. */
    static final int CONFIGURATION_ENTRY_SIZE = 24;
    static final int MAX_CONFIGURATION_TABLES = 32;

    /** Sizes of the service tables: header, then one pointer per service. */
    static int serviceTableSize(EfiService.Table table) {
        return HEADER_SIZE + 8 * EfiService.of(table).size();
    }

    static void writeHeader(ByteBuffer table, long signature, int size) {
        table.putLong(0, signature);
        table.putInt(8, REVISION);
        table.putInt(12, size);
        table.putInt(HEADER_CRC, 0);
        table.putInt(20, 0);
    }

    /**
     * Recomputes a table's header CRC32 over its {@code size} bytes with the CRC field zero (section 4.2). The size is
     * jgrub's, not the HeaderSize field in guest memory, which the guest can overwrite.
     */
    static void updateCrc(ByteBuffer table, int size) {
        table.putInt(12, size);
        table.putInt(HEADER_CRC, 0);
        CRC32 crc = new CRC32();
        crc.update(table.duplicate().position(0).limit(size));
        table.putInt(HEADER_CRC, (int) crc.getValue());
    }
}
