package jgrub.fat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** 8.3 names: the OEM code page, the 0x05 escape, the lower-case flags and the checksum long names carry. */
public final class ShortNames {

    /** mtools and Linux default to code page 850 for short names; 437 differs only in a few letters. */
    private static final class Oem {
        // Loaded on first use only: the charset lives in jdk.charsets, whose loading costs start-up time.
        static final Charset CHARSET = Charset.isSupported("IBM850") ? Charset.forName("IBM850")
                : StandardCharsets.ISO_8859_1;
    }
    /** DIR_NTRes bits Windows NT uses for all-lower-case base and extension (not in the FAT specification). */
    static final int LOWER_BASE = 0x08;
    static final int LOWER_EXT = 0x10;

    private ShortNames() {
    }

    public static Charset oemCharset() {
        return Oem.CHARSET;
    }

    static String decode(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return new String(bytes, offset, length, Oem.CHARSET);
            }
        }
        // ASCII, the same in every DOS code page.
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** The display form of an 11-byte name: {@code BASE.EXT}, with 0x05 as 0xE5 and the NT lower-case flags. */
    static String display(byte[] raw, int offset, int ntFlags) {
        byte[] name = new byte[11];
        System.arraycopy(raw, offset, name, 0, 11);
        if (name[0] == 0x05) {
            name[0] = (byte) 0xE5;
        }
        String base = decode(name, 0, 8).stripTrailing();
        String ext = decode(name, 8, 3).stripTrailing();
        if ((ntFlags & LOWER_BASE) != 0) {
            base = base.toLowerCase(java.util.Locale.ROOT);
        }
        if ((ntFlags & LOWER_EXT) != 0) {
            ext = ext.toLowerCase(java.util.Locale.ROOT);
        }
        return ext.isEmpty() ? base : base + "." + ext;
    }

    /** The checksum a long name's entries carry of their 8.3 entry's 11 name bytes (FAT specification 7.2). */
    public static int checksum(byte[] raw, int offset) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >>> 1) + Byte.toUnsignedInt(raw[offset + i])) & 0xFF;
        }
        return sum;
    }
}
