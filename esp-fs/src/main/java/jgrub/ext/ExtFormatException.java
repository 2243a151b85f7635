package jgrub.ext;

import jgrub.disk.DiskFormatException;

/**
 * An ext2/3/4 file system that is corrupt (superblock, group descriptor, inode, block map, extent tree, directory,
 * checksum) or uses a feature jgrub does not read.
 */
public class ExtFormatException extends DiskFormatException {

    private static final long serialVersionUID = 1L;

    public ExtFormatException(Kind kind, String structure, String field, long value, long offset, String detail) {
        super(kind, structure, field, value, offset, detail);
    }

    static ExtFormatException corrupt(String structure, String field, long value, long offset, String detail) {
        return new ExtFormatException(Kind.CORRUPT, structure, field, value, offset, detail);
    }

    static ExtFormatException unsupported(String structure, String field, long value, long offset, String detail) {
        return new ExtFormatException(Kind.UNSUPPORTED, structure, field, value, offset, detail);
    }
}
