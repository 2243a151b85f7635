package jgrub.fat;

import jgrub.disk.DiskFormatException;

/** A FAT file system that is corrupt (boot sector, FAT, cluster chain, directory) or uses what jgrub does not read. */
public class FatFormatException extends DiskFormatException {

    private static final long serialVersionUID = 1L;

    public FatFormatException(Kind kind, String structure, String field, long value, long offset, String detail) {
        super(kind, structure, field, value, offset, detail);
    }

    public FatFormatException(Kind kind, String structure, String message) {
        super(kind, structure, message);
    }

    static FatFormatException corrupt(String structure, String field, long value, long offset, String detail) {
        return new FatFormatException(Kind.CORRUPT, structure, field, value, offset, detail);
    }

    static FatFormatException unsupported(String structure, String field, long value, long offset, String detail) {
        return new FatFormatException(Kind.UNSUPPORTED, structure, field, value, offset, detail);
    }
}
