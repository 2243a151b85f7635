package jgrub.pe;

/**
 * A PE/COFF image jgrub refuses: the message names the image, the structure and field, its value and byte offset, and
 * says whether the image is corrupt or only unsupported.
 */
public final class PeFormatException extends Exception {

    private final boolean unsupported;

    private PeFormatException(String message, boolean unsupported) {
        super(message);
        this.unsupported = unsupported;
    }

    static PeFormatException corrupt(String image, String field, long value, long offset, String why) {
        return new PeFormatException(format(image, field, value, offset, why, "corrupt"), false);
    }

    static PeFormatException unsupported(String image, String field, long value, long offset, String why) {
        return new PeFormatException(format(image, field, value, offset, why, "unsupported"), true);
    }

    private static String format(String image, String field, long value, long offset, String why, String verdict) {
        return image + ": " + verdict + " PE image: " + field + " = 0x" + Long.toHexString(value) + " at offset 0x"
                + Long.toHexString(offset) + ": " + why;
    }

    /** True when the image is well formed but uses something jgrub does not load (another machine, PE32, ...). */
    public boolean isUnsupported() {
        return unsupported;
    }
}
