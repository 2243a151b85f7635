package jgrub.ext;

import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One inode as stored in its group's inode table (Linux Documentation/filesystems/ext4/inodes.rst), read and checked
 * by {@link ExtFileSystem#inode}.
 *
 * @param number the inode number, 1-based
 * @param raw the whole on-disk inode (s_inode_size bytes), little-endian
 * @param imageOffset where it starts in the image, for messages
 */
record Inode(long number, ByteBuffer raw, long imageOffset) {

    static final int I_MODE = 0x00;
    static final int I_SIZE_LO = 0x04;
    static final int I_MTIME = 0x10;
    static final int I_BLOCKS_LO = 0x1C;
    static final int I_FLAGS = 0x20;
    static final int I_BLOCK = 0x28;
    static final int I_BLOCK_SIZE = 60;
    static final int I_GENERATION = 0x64;
    static final int I_FILE_ACL_LO = 0x68;
    static final int I_SIZE_HIGH = 0x6C;
    static final int L_I_BLOCKS_HIGH = 0x74;
    static final int L_I_FILE_ACL_HIGH = 0x76;
    static final int L_I_CHECKSUM_LO = 0x7C;
    static final int GOOD_OLD_SIZE = 0x80;
    static final int I_EXTRA_ISIZE = 0x80;
    static final int I_CHECKSUM_HI = 0x82;
    static final int I_MTIME_EXTRA = 0x88;

    static final int S_IFMT = 0xF000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFREG = 0x8000;
    static final int S_IFLNK = 0xA000;

    static final int EXT4_HUGE_FILE_FL = 0x40000;
    static final int EXT4_EXTENTS_FL = 0x80000;
    static final int EXT4_INLINE_DATA_FL = 0x10000000;

    int mode() {
        return Short.toUnsignedInt(raw.getShort(I_MODE));
    }

    int type() {
        return mode() & S_IFMT;
    }

    boolean isDirectory() {
        return type() == S_IFDIR;
    }

    boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** i_size_lo with i_size_high, for every file type, as GRUB reads it. */
    long size() {
        return Integer.toUnsignedLong(raw.getInt(I_SIZE_LO)) | Integer.toUnsignedLong(raw.getInt(I_SIZE_HIGH)) << 32;
    }

    int flags() {
        return raw.getInt(I_FLAGS);
    }

    boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    int generation() {
        return raw.getInt(I_GENERATION);
    }

    long fileAcl() {
        return Integer.toUnsignedLong(raw.getInt(I_FILE_ACL_LO))
                | (long) Short.toUnsignedInt(raw.getShort(L_I_FILE_ACL_HIGH)) << 32;
    }

    /** i_blocks in 512-byte units (huge_file: in file system blocks when EXT4_HUGE_FILE_FL is set). */
    long blocks(int blockSize, boolean hugeFile) {
        long blocks = Integer.toUnsignedLong(raw.getInt(I_BLOCKS_LO));
        if (hugeFile) {
            blocks |= (long) Short.toUnsignedInt(raw.getShort(L_I_BLOCKS_HIGH)) << 32;
            if (hasFlag(EXT4_HUGE_FILE_FL)) {
                blocks *= blockSize / 512;
            }
        }
        return blocks;
    }

    /** i_extra_isize, 0 for 128-byte inodes. */
    int extraSize() {
        return raw.capacity() > GOOD_OLD_SIZE ? Short.toUnsignedInt(raw.getShort(I_EXTRA_ISIZE)) : 0;
    }

    /** i_block[k], one of the 15 block pointers of a block-mapped inode. */
    long blockPointer(int k) {
        return Integer.toUnsignedLong(raw.getInt(I_BLOCK + 4 * k));
    }

    /** Last modification in UTC, with the extra epoch bits and nanoseconds of large inodes. */
    LocalDateTime modified() {
        long seconds = raw.getInt(I_MTIME);
        int nanos = 0;
        if (extraSize() >= I_MTIME_EXTRA + 4 - GOOD_OLD_SIZE) {
            int extra = raw.getInt(I_MTIME_EXTRA);
            seconds += (long) (extra & 3) << 32;
            nanos = extra >>> 2;
            if (nanos > 999_999_999) {
                nanos = 0;
            }
        }
        try {
            return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
