package jgrub.machine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/** Reads what the firmware told the option ROM (the E820 map) and finds the ACPI RSDP in guest RAM. */
final class FirmwareProbe {

    private static final byte[] RSDP_SIGNATURE = "RSD PTR ".getBytes(StandardCharsets.US_ASCII);
    /** ACPI 6.4 section 5.2.5.3: the 1.0 part is 20 bytes; revision 2+ adds a length field at offset 20. */
    private static final int RSDP_V1_LENGTH = 20;
    private static final int RSDP_V2_LENGTH = 36;
    private static final int RSDP_LENGTH_OFFSET = 20;
    /** E820 extended attributes bit 0: when clear, ACPI 3.0 says to ignore the entry. */
    private static final int E820_ATTRIBUTE_VALID = 1;

    private FirmwareProbe() {
    }

    /** The firmware's report, with the framebuffer of the machine's ramfb display if it has one. */
    static Firmware read(GuestMemory memory, Mailbox mailbox, Optional<Ramfb> display)
            throws GuestMemoryException, MachineException {
        return new Firmware(memoryMap(memory, mailbox), findRsdp(memory), GuestLayout.loaderReserved(),
                display.map(Ramfb::framebuffer));
    }

    static List<MemoryRegion> memoryMap(GuestMemory memory, Mailbox mailbox)
            throws GuestMemoryException, MachineException {
        long count = mailbox.argument(0);
        long entrySize = mailbox.argument(1);
        if (count < 1 || count > GuestLayout.E820_MAX_ENTRIES || entrySize != GuestLayout.E820_ENTRY_SIZE) {
            throw new MachineException("the option ROM reported a corrupt E820 map: " + count + " entries of "
                    + entrySize + " bytes");
        }
        ByteBuffer entries = memory.slice(GuestLayout.E820_BUFFER, count * GuestLayout.E820_ENTRY_SIZE);
        List<MemoryRegion> map = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = i * GuestLayout.E820_ENTRY_SIZE;
            long base = entries.getLong(at);
            long length = entries.getLong(at + 8);
            int type = entries.getInt(at + 16);
            int attributes = entries.getInt(at + 20);
            if (length == 0 || (attributes & E820_ATTRIBUTE_VALID) == 0) {
                continue;
            }
            if (base < 0 || length < 0 || Long.MAX_VALUE - base < length) {
                throw new MachineException("the firmware's E820 entry " + i + " is corrupt: base 0x"
                        + Long.toHexString(base) + " length 0x" + Long.toHexString(length));
            }
            map.add(new MemoryRegion(base, length, MemoryType.ofE820(type)));
        }
        return map;
    }

    /** ACPI 6.4 section 5.2.5.1: the first KiB of the EBDA, then the BIOS area 0xE0000-0xFFFFF, on 16-byte boundaries. */
    static Optional<Firmware.AcpiRsdp> findRsdp(GuestMemory memory) throws GuestMemoryException {
        long ebda = (long) memory.readU16(GuestLayout.BDA_EBDA_SEGMENT) << 4;
        if (ebda >= GuestLayout.LOADER_AREA_END && ebda < GuestLayout.BIOS_AREA_START) {
            Optional<Firmware.AcpiRsdp> found = scan(memory, ebda, ebda + 1024);
            if (found.isPresent()) {
                return found;
            }
        }
        return scan(memory, GuestLayout.BIOS_AREA_START, GuestLayout.BIOS_AREA_END);
    }

    private static Optional<Firmware.AcpiRsdp> scan(GuestMemory memory, long start, long end)
            throws GuestMemoryException {
        ByteBuffer area = memory.slice(start, end - start);
        for (int at = 0; at + RSDP_V1_LENGTH <= area.limit(); at += 16) {
            if (!signatureAt(area, at) || checksum(area, at, RSDP_V1_LENGTH) != 0) {
                continue;
            }
            int length = RSDP_V1_LENGTH;
            if (Byte.toUnsignedInt(area.get(at + 15)) >= 2) {
                long declared = Integer.toUnsignedLong(area.getInt(at + RSDP_LENGTH_OFFSET));
                if (declared < RSDP_V2_LENGTH || at + declared > area.limit()
                        || checksum(area, at, (int) declared) != 0) {
                    continue;
                }
                length = RSDP_V2_LENGTH;
            }
            byte[] bytes = new byte[length];
            area.get(at, bytes);
            return Optional.of(new Firmware.AcpiRsdp(start + at, bytes));
        }
        return Optional.empty();
    }

    private static boolean signatureAt(ByteBuffer area, int at) {
        for (int i = 0; i < RSDP_SIGNATURE.length; i++) {
            if (area.get(at + i) != RSDP_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static int checksum(ByteBuffer area, int at, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += area.get(at + i);
        }
        return sum & 0xff;
    }
}
