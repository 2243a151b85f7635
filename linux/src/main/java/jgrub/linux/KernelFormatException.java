package jgrub.linux;

import jgrub.boot.BootException;

/**
 * A Linux kernel image cannot be loaded: it is corrupt (a value contradicts the boot protocol) or unsupported (a valid
 * value GRUB's {@code linux} command does not handle either). The message is one line naming the file, the field, the
 * value in hex and its byte offset, and GRUB's own words where GRUB has an error for the case.
 */
public class KernelFormatException extends BootException {

    public KernelFormatException(String message) {
        super(message);
    }

    /** "FILE: setup header FIELD 0xVALUE at offset 0xOFFSET DETAIL (corrupt)". */
    static KernelFormatException corrupt(String file, String field, long value, long offset, String detail) {
        return new KernelFormatException(file + ": setup header " + field + " " + hex(value) + " at offset "
                + hex(offset) + " " + detail + " (corrupt)");
    }

    /** "FILE: setup header FIELD 0xVALUE at offset 0xOFFSET DETAIL (unsupported)". */
    static KernelFormatException unsupported(String file, String field, long value, long offset, String detail) {
        return new KernelFormatException(file + ": setup header " + field + " " + hex(value) + " at offset "
                + hex(offset) + " " + detail + " (unsupported)");
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
