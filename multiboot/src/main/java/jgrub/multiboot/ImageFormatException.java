package jgrub.multiboot;

import jgrub.boot.BootException;

/**
 * An image, a module or a header cannot be loaded: it is corrupt (a value contradicts its format) or unsupported (a
 * valid value jgrub, like GRUB, does not handle). The message is one line that names the file or structure, the field,
 * the value in hex and its byte offset where there is one.
 */
public class ImageFormatException extends BootException {

    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "STRUCTURE: FIELD 0xVALUE at offset 0xOFFSET DETAIL (corrupt)". */
    public static ImageFormatException corrupt(String structure, String field, long value, long offset, String detail) {
        return new ImageFormatException(structure + ": " + field + " " + hex(value) + " at offset " + hex(offset) + " "
                + detail + " (corrupt)");
    }

    /** "STRUCTURE: FIELD 0xVALUE at offset 0xOFFSET DETAIL (unsupported)". */
    public static ImageFormatException unsupported(String structure, String field, long value, long offset,
            String detail) {
        return new ImageFormatException(structure + ": " + field + " " + hex(value) + " at offset " + hex(offset) + " "
                + detail + " (unsupported)");
    }

    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
