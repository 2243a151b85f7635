package jgrub.disk;

import java.io.IOException;

/**
 * A disk image, partition table or file system that is corrupt or uses a feature jgrub does not support. The message
 * is one line naming the structure, the field, its value in hex and the absolute byte offset in the image, for
 * example {@code FAT boot sector: corrupt BytesPerSector 0x0 at offset 0x10000B (not 512, 1024, 2048 or 4096)}.
 */
public class DiskFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Whether the input is broken or only beyond what jgrub reads. */
    public enum Kind {
        CORRUPT, UNSUPPORTED;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String structure;
    private final String field;
    private final long value;
    private final long offset;

    public DiskFormatException(Kind kind, String structure, String field, long value, long offset, String detail) {
        super(format(kind, structure, field, value, offset, detail));
        this.kind = kind;
        this.structure = structure;
        this.field = field;
        this.value = value;
        this.offset = offset;
    }

    /** A problem that has no single field and offset, such as a partition name that names nothing. */
    public DiskFormatException(Kind kind, String structure, String message) {
        super(structure + ": " + message);
        this.kind = kind;
        this.structure = structure;
        this.field = "";
        this.value = -1;
        this.offset = -1;
    }

    static String format(Kind kind, String structure, String field, long value, long offset, String detail) {
        return structure + ": " + kind.word() + " " + field + " 0x" + Long.toHexString(value).toUpperCase(java.util.Locale.ROOT)
                + " at offset 0x" + Long.toHexString(offset).toUpperCase(java.util.Locale.ROOT)
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }

    public Kind kind() {
        return kind;
    }

    public String structure() {
        return structure;
    }

    public String field() {
        return field;
    }

    public long value() {
        return value;
    }

    /** Absolute byte offset in the image file, or -1. */
    public long offset() {
        return offset;
    }
}
