package jgrub.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jgrub.disk.BlockDevice;

/**
 * The ext2/3/4 superblock: 1024 bytes at byte 1024 of the file system (Linux
 * Documentation/filesystems/ext4/super.rst). Only the fields a read-only reader needs are kept; every one is checked
 * here, before any other structure is located from it.
 *
 * @param blockSize 1024 << s_log_block_size
 * @param blocksCount s_blocks_count_lo, with s_blocks_count_hi on 64bit file systems
 * @param descSize bytes per group descriptor: 32, or s_desc_size on 64bit file systems
 * @param checksumSeed the crc32c seed of metadata_csum: s_checksum_seed, or crc32c(~0, s_uuid)
 */
record Superblock(int blockSize, long blocksCount, long freeBlocks, long firstDataBlock, long blocksPerGroup,
        long inodesPerGroup, long inodesCount, int inodeSize, int compat, int incompat, int roCompat, byte[] uuid,
        String label, int descSize, long firstMetaBg, int[] backupGroups, int checksumSeed, long groups) {

    static final long OFFSET = 1024;
    static final int SIZE = 1024;
    static final int MAGIC = 0xEF53;

    // Field offsets within the superblock (super.rst, "struct ext4_super_block").
    static final int S_INODES_COUNT = 0x00;
    static final int S_BLOCKS_COUNT_LO = 0x04;
    static final int S_FREE_BLOCKS_COUNT_LO = 0x0C;
    static final int S_FIRST_DATA_BLOCK = 0x14;
    static final int S_LOG_BLOCK_SIZE = 0x18;
    static final int S_BLOCKS_PER_GROUP = 0x20;
    static final int S_INODES_PER_GROUP = 0x28;
    static final int S_MAGIC = 0x38;
    static final int S_REV_LEVEL = 0x4C;
    static final int S_INODE_SIZE = 0x58;
    static final int S_FEATURE_COMPAT = 0x5C;
    static final int S_FEATURE_INCOMPAT = 0x60;
    static final int S_FEATURE_RO_COMPAT = 0x64;
    static final int S_UUID = 0x68;
    static final int S_VOLUME_NAME = 0x78;
    static final int S_DESC_SIZE = 0xFE;
    static final int S_FIRST_META_BG = 0x104;
    static final int S_BLOCKS_COUNT_HI = 0x150;
    static final int S_FREE_BLOCKS_COUNT_HI = 0x158;
    static final int S_CHECKSUM_TYPE = 0x175;
    static final int S_BACKUP_BGS = 0x24C;
    static final int S_CHECKSUM_SEED = 0x270;
    static final int S_CHECKSUM = 0x3FC;

    static final int COMPAT_SPARSE_SUPER2 = 0x200;

    static final int INCOMPAT_COMPRESSION = 0x1;
    static final int INCOMPAT_FILETYPE = 0x2;
    static final int INCOMPAT_RECOVER = 0x4;
    static final int INCOMPAT_JOURNAL_DEV = 0x8;
    static final int INCOMPAT_META_BG = 0x10;
    static final int INCOMPAT_EXTENTS = 0x40;
    static final int INCOMPAT_64BIT = 0x80;
    static final int INCOMPAT_MMP = 0x100;
    static final int INCOMPAT_FLEX_BG = 0x200;
    static final int INCOMPAT_EA_INODE = 0x400;
    static final int INCOMPAT_DIRDATA = 0x1000;
    static final int INCOMPAT_CSUM_SEED = 0x2000;
    static final int INCOMPAT_LARGEDIR = 0x4000;
    static final int INCOMPAT_INLINE_DATA = 0x8000;
    static final int INCOMPAT_ENCRYPT = 0x10000;
    static final int INCOMPAT_CASEFOLD = 0x20000;
    /**
     * What this reader handles. GRUB's ext2 module accepts the same set except inline_data; RECOVER and MMP are
     * ignored (the journal is not replayed), compression, a journal device and dirdata are refused.
     */
    static final int INCOMPAT_READ = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT | INCOMPAT_MMP | INCOMPAT_FLEX_BG | INCOMPAT_EA_INODE | INCOMPAT_CSUM_SEED
            | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA | INCOMPAT_ENCRYPT | INCOMPAT_CASEFOLD;

    static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    static final int RO_COMPAT_HUGE_FILE = 0x8;
    static final int RO_COMPAT_METADATA_CSUM = 0x400;

    static final int COMPAT_HAS_JOURNAL = 0x4;

    /** Whether a valid magic number sits where the superblock's would: the probe that picks this reader. */
    static boolean hasMagic(BlockDevice device) throws IOException {
        if (device.size() < OFFSET + SIZE) {
            return false;
        }
        ByteBuffer magic = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        device.read(OFFSET + S_MAGIC, magic);
        return Short.toUnsignedInt(magic.getShort(0)) == MAGIC;
    }

    /**
     * The magic number with a block size and revision in range: enough to take a table-less disk for an ext file
     * system rather than an MBR whose sector 2 (GRUB's core image on BIOS installs) merely holds 0xEF53 at byte 56.
     */
    static boolean plausible(BlockDevice device) throws IOException {
        if (!hasMagic(device)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(S_REV_LEVEL + 4).order(ByteOrder.LITTLE_ENDIAN);
        device.read(OFFSET, b);
        return u32(b, S_LOG_BLOCK_SIZE) <= 6 && u32(b, S_REV_LEVEL) <= 1 && u32(b, S_INODES_PER_GROUP) != 0
                && u32(b, S_BLOCKS_PER_GROUP) != 0;
    }

    static Superblock read(BlockDevice device) throws IOException {
        String structure = "ext superblock";
        if (device.size() < OFFSET + SIZE) {
            throw ExtFormatException.corrupt(structure, "device size", device.size(), device.imageOffset(0),
                    "too small for a superblock at 0x400");
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        device.read(OFFSET, b);
        b.flip();
        Guard g = new Guard(structure, device.imageOffset(OFFSET));
        int magic = Short.toUnsignedInt(b.getShort(S_MAGIC));
        if (magic != MAGIC) {
            throw g.corrupt("s_magic", magic, S_MAGIC, "not 0xEF53");
        }
        long log = u32(b, S_LOG_BLOCK_SIZE);
        if (log > 6) {
            throw g.unsupported("s_log_block_size", log, S_LOG_BLOCK_SIZE, "blocks over 64 KiB");
        }
        int blockSize = 1024 << log;
        long rev = u32(b, S_REV_LEVEL);
        if (rev > 1) {
            throw g.unsupported("s_rev_level", rev, S_REV_LEVEL, "not revision 0 or 1");
        }
        int compat = rev == 0 ? 0 : b.getInt(S_FEATURE_COMPAT);
        int incompat = rev == 0 ? 0 : b.getInt(S_FEATURE_INCOMPAT);
        int roCompat = rev == 0 ? 0 : b.getInt(S_FEATURE_RO_COMPAT);
        if ((incompat & ~INCOMPAT_READ) != 0) {
            throw g.unsupported("s_feature_incompat", Integer.toUnsignedLong(incompat), S_FEATURE_INCOMPAT,
                    "features 0x" + Integer.toHexString(incompat & ~INCOMPAT_READ).toUpperCase(java.util.Locale.ROOT)
                            + " that jgrub does not read");
        }
        int checksumSeed = 0;
        if ((roCompat & RO_COMPAT_METADATA_CSUM) != 0) {
            int type = Byte.toUnsignedInt(b.get(S_CHECKSUM_TYPE));
            if (type != 1) {
                throw g.unsupported("s_checksum_type", type, S_CHECKSUM_TYPE, "not 1 (crc32c)");
            }
            int stored = b.getInt(S_CHECKSUM);
            int computed = Crc32c.update(-1, b, 0, S_CHECKSUM);
            if (stored != computed) {
                throw g.corrupt("s_checksum", Integer.toUnsignedLong(stored), S_CHECKSUM, "computed 0x"
                        + Integer.toHexString(computed).toUpperCase(java.util.Locale.ROOT));
            }
            checksumSeed = (incompat & INCOMPAT_CSUM_SEED) != 0 ? b.getInt(S_CHECKSUM_SEED)
                    : Crc32c.update(-1, b, S_UUID, S_UUID + 16);
        }
        boolean is64 = (incompat & INCOMPAT_64BIT) != 0;
        long blocksCount = u32(b, S_BLOCKS_COUNT_LO) | (is64 ? u32(b, S_BLOCKS_COUNT_HI) << 32 : 0);
        long deviceBlocks = device.size() / blockSize;
        if (blocksCount == 0 || blocksCount > deviceBlocks) {
            throw g.corrupt("s_blocks_count", blocksCount, S_BLOCKS_COUNT_LO, "the device holds 0x"
                    + hex(deviceBlocks) + " blocks of 0x" + hex(blockSize) + " bytes");
        }
        long freeBlocks = u32(b, S_FREE_BLOCKS_COUNT_LO) | (is64 ? u32(b, S_FREE_BLOCKS_COUNT_HI) << 32 : 0);
        long firstDataBlock = u32(b, S_FIRST_DATA_BLOCK);
        if (firstDataBlock != (blockSize == 1024 ? 1 : 0)) {
            throw g.corrupt("s_first_data_block", firstDataBlock, S_FIRST_DATA_BLOCK,
                    "not " + (blockSize == 1024 ? 1 : 0) + " for blocks of 0x" + hex(blockSize) + " bytes");
        }
        long blocksPerGroup = u32(b, S_BLOCKS_PER_GROUP);
        if (blocksPerGroup == 0 || blocksPerGroup > 65536L * blockSize) {
            throw g.corrupt("s_blocks_per_group", blocksPerGroup, S_BLOCKS_PER_GROUP, "not 1..0x"
                    + hex(65536L * blockSize));
        }
        long inodesPerGroup = u32(b, S_INODES_PER_GROUP);
        if (inodesPerGroup == 0 || inodesPerGroup > 8L * blockSize) {
            throw g.corrupt("s_inodes_per_group", inodesPerGroup, S_INODES_PER_GROUP, "not 1..0x"
                    + hex(8L * blockSize) + " (one bitmap block)");
        }
        long groups = (blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
        long inodesCount = u32(b, S_INODES_COUNT);
        if (inodesCount < 11 || inodesCount > groups * inodesPerGroup) {
            throw g.corrupt("s_inodes_count", inodesCount, S_INODES_COUNT, "not 11..0x" + hex(groups * inodesPerGroup)
                    + " (0x" + hex(groups) + " groups of 0x" + hex(inodesPerGroup) + " inodes)");
        }
        int inodeSize = rev == 0 ? 128 : Short.toUnsignedInt(b.getShort(S_INODE_SIZE));
        if (inodeSize < 128 || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
            throw g.corrupt("s_inode_size", inodeSize, S_INODE_SIZE, "not a power of two 0x80..0x" + hex(blockSize));
        }
        int descSize = 32;
        if (is64) {
            descSize = Short.toUnsignedInt(b.getShort(S_DESC_SIZE));
            if (descSize < 64 || descSize > blockSize || Integer.bitCount(descSize) != 1) {
                throw g.corrupt("s_desc_size", descSize, S_DESC_SIZE, "not a power of two 0x40..0x"
                        + hex(blockSize) + " on a 64bit file system");
            }
        }
        long firstMetaBg = u32(b, S_FIRST_META_BG);
        int[] backupGroups = {b.getInt(S_BACKUP_BGS), b.getInt(S_BACKUP_BGS + 4)};
        byte[] uuid = new byte[16];
        b.get(S_UUID, uuid);
        byte[] name = new byte[16];
        b.get(S_VOLUME_NAME, name);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        String label = new String(name, 0, length, StandardCharsets.UTF_8);
        return new Superblock(blockSize, blocksCount, freeBlocks, firstDataBlock, blocksPerGroup, inodesPerGroup,
                inodesCount, inodeSize, compat, incompat, roCompat, uuid, label, descSize, firstMetaBg, backupGroups,
                checksumSeed, groups);
    }

    boolean has(int incompatFeature) {
        return (incompat & incompatFeature) != 0;
    }

    boolean hasRoCompat(int feature) {
        return (roCompat & feature) != 0;
    }

    boolean metadataCsum() {
        return hasRoCompat(RO_COMPAT_METADATA_CSUM);
    }

    /** Whether group {@code group} holds a superblock backup and so starts with it (and its descriptor copy). */
    boolean hasSuperblock(long group) {
        if (group == 0) {
            return true;
        }
        if ((compat & COMPAT_SPARSE_SUPER2) != 0) {
            return group == Integer.toUnsignedLong(backupGroups[0]) || group == Integer.toUnsignedLong(backupGroups[1]);
        }
        if (!hasRoCompat(RO_COMPAT_SPARSE_SUPER) || group == 1) {
            return true;
        }
        return isPower(group, 3) || isPower(group, 5) || isPower(group, 7);
    }

    private static boolean isPower(long n, int base) {
        while (n % base == 0) {
            n /= base;
        }
        return n == 1;
    }

    static long u32(ByteBuffer b, int offset) {
        return Integer.toUnsignedLong(b.getInt(offset));
    }

    static String hex(long value) {
        return Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
    }

    /** Names the structure and its image offset once, so that each check names only its field. */
    record Guard(String structure, long imageOffset) {
        ExtFormatException corrupt(String field, long value, long offset, String detail) {
            return ExtFormatException.corrupt(structure, field, value, imageOffset + offset, detail);
        }

        ExtFormatException unsupported(String field, long value, long offset, String detail) {
            return ExtFormatException.unsupported(structure, field, value, imageOffset + offset, detail);
        }
    }
}
