package jgrub.part;

import jgrub.disk.DiskFormatException;

/** A partition table that is corrupt or unsupported, or a partition name that names no partition. */
public class PartitionTableException extends DiskFormatException {

    private static final long serialVersionUID = 1L;

    public PartitionTableException(Kind kind, String structure, String field, long value, long offset, String detail) {
        super(kind, structure, field, value, offset, detail);
    }

    public PartitionTableException(Kind kind, String structure, String message) {
        super(kind, structure, message);
    }

    static PartitionTableException corrupt(String structure, String field, long value, long offset, String detail) {
        return new PartitionTableException(Kind.CORRUPT, structure, field, value, offset, detail);
    }

    static PartitionTableException unsupported(String structure, String field, long value, long offset,
            String detail) {
        return new PartitionTableException(Kind.UNSUPPORTED, structure, field, value, offset, detail);
    }
}
