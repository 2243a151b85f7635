package jgrub.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** GUIDs as stored on disk: the first three fields little-endian, the last eight bytes in order (UEFI Appendix A). */
public final class Guids {

    /** EFI System Partition, GPT type (UEFI 5.3.3, table 5-7). */
    public static final UUID ESP = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
    /** Microsoft basic data, the usual type of a FAT data partition. */
    public static final UUID BASIC_DATA = UUID.fromString("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");

    private Guids() {
    }

    /** Reads 16 bytes at {@code offset} of {@code buffer}. */
    public static UUID read(ByteBuffer buffer, int offset) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long d1 = Integer.toUnsignedLong(b.getInt(offset));
        long d2 = Short.toUnsignedLong(b.getShort(offset + 4));
        long d3 = Short.toUnsignedLong(b.getShort(offset + 6));
        long high = d1 << 32 | d2 << 16 | d3;
        long low = b.order(ByteOrder.BIG_ENDIAN).getLong(offset + 8);
        return new UUID(high, low);
    }

    /** Writes {@code guid} as 16 bytes at {@code offset} of {@code buffer}. */
    public static void write(ByteBuffer buffer, int offset, UUID guid) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long high = guid.getMostSignificantBits();
        b.putInt(offset, (int) (high >>> 32));
        b.putShort(offset + 4, (short) (high >>> 16));
        b.putShort(offset + 6, (short) high);
        b.order(ByteOrder.BIG_ENDIAN).putLong(offset + 8, guid.getLeastSignificantBits());
    }

    /** Upper-case text form, as GRUB, sfdisk and the UEFI specification print GUIDs. */
    public static String toString(UUID guid) {
        return guid.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
