package jgrub.ext;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An ext4 extent tree (Linux Documentation/filesystems/ext4/ifork.rst): a 12-byte header, then index entries (depth
 * above 0) or extents (depth 0), in i_block for the root and in whole blocks below it. Each lookup descends from the
 * root; every node's header is checked, its depth must be exactly one less than its parent's (so a lookup ends after
 * at most five reads), and with metadata_csum each block's tail checksum is verified.
 */
final class ExtentTree implements BlockMap {

    static final int MAGIC = 0xF30A;
    static final int EH_MAGIC = 0;
    static final int EH_ENTRIES = 2;
    static final int EH_MAX = 4;
    static final int EH_DEPTH = 6;
    static final int HEADER = 12;
    static final int ENTRY = 12;
    // ext4_extent_idx: ei_block, ei_leaf_lo, ei_leaf_hi; ext4_extent: ee_block, ee_len, ee_start_hi, ee_start_lo.
    static final int EI_BLOCK = 0;
    static final int EI_LEAF_LO = 4;
    static final int EI_LEAF_HI = 8;
    static final int EE_BLOCK = 0;
    static final int EE_LEN = 4;
    static final int EE_START_HI = 6;
    static final int EE_START_LO = 8;
    /** ee_len above this marks an uninitialized extent of ee_len - 32768 blocks, read as zeros. */
    static final int INIT_MAX_LEN = 32768;
    static final int MAX_DEPTH = 5;
    /** Logical block numbers are 32-bit. */
    static final long LOGICAL_LIMIT = 1L << 32;

    private final ExtFileSystem fs;
    private final Inode inode;
    private final String structure;

    ExtentTree(ExtFileSystem fs, Inode inode, String path) {
        this.fs = fs;
        this.inode = inode;
        this.structure = "ext extent tree of inode " + inode.number() + " (" + path + ")";
    }

    @Override
    public long addressableBlocks() {
        return LOGICAL_LIMIT;
    }

    @Override
    public Run run(long logical, long max) throws IOException {
        ByteBuffer node = inode.raw().slice(Inode.I_BLOCK, Inode.I_BLOCK_SIZE).order(inode.raw().order());
        long nodeOffset = inode.imageOffset() + Inode.I_BLOCK;
        int expectedDepth = -1;
        long end = LOGICAL_LIMIT;
        while (true) {
            int entries = header(node, nodeOffset, expectedDepth);
            int depth = Short.toUnsignedInt(node.getShort(EH_DEPTH));
            if (depth == 0) {
                return leaf(node, nodeOffset, entries, logical, Math.min(max, end - logical), end);
            }
            // The last index entry starting at or before the block; none means a hole up to the first one.
            int chosen = -1;
            long previous = -1;
            for (int i = 0; i < entries; i++) {
                long start = Integer.toUnsignedLong(node.getInt(HEADER + ENTRY * i + EI_BLOCK));
                if (start <= previous) {
                    throw ExtFormatException.corrupt(structure, "ei_block", start, nodeOffset + HEADER + ENTRY * i,
                            "index entries out of order");
                }
                previous = start;
                if (start > logical) {
                    end = Math.min(end, start);
                    break;
                }
                chosen = i;
            }
            if (chosen < 0) {
                return new Run(HOLE, Math.min(max, end - logical));
            }
            int at = HEADER + ENTRY * chosen;
            long child = Integer.toUnsignedLong(node.getInt(at + EI_LEAF_LO))
                    | (long) Short.toUnsignedInt(node.getShort(at + EI_LEAF_HI)) << 32;
            checkBlock("ei_leaf", child, 1, nodeOffset + at + EI_LEAF_LO);
            long childOffset = child * fs.blockSize();
            node = fs.read(childOffset, fs.blockSize());
            nodeOffset = fs.device().imageOffset(childOffset);
            expectedDepth = depth - 1;
            verifyTail(node, nodeOffset);
        }
    }

    /** Checks a node's header; returns eh_entries. */
    private int header(ByteBuffer node, long nodeOffset, int expectedDepth) throws ExtFormatException {
        int magic = Short.toUnsignedInt(node.getShort(EH_MAGIC));
        if (magic != MAGIC) {
            throw ExtFormatException.corrupt(structure, "eh_magic", magic, nodeOffset + EH_MAGIC, "not 0xF30A");
        }
        int entries = Short.toUnsignedInt(node.getShort(EH_ENTRIES));
        int max = Short.toUnsignedInt(node.getShort(EH_MAX));
        int capacity = (node.capacity() - HEADER) / ENTRY;
        if (max > capacity) {
            throw ExtFormatException.corrupt(structure, "eh_max", max, nodeOffset + EH_MAX, "a node of 0x"
                    + Superblock.hex(node.capacity()) + " bytes holds 0x" + Superblock.hex(capacity) + " entries");
        }
        if (entries > max) {
            throw ExtFormatException.corrupt(structure, "eh_entries", entries, nodeOffset + EH_ENTRIES,
                    "more than eh_max 0x" + Superblock.hex(max));
        }
        int depth = Short.toUnsignedInt(node.getShort(EH_DEPTH));
        if (expectedDepth < 0 ? depth > MAX_DEPTH : depth != expectedDepth) {
            throw ExtFormatException.corrupt(structure, "eh_depth", depth, nodeOffset + EH_DEPTH,
                    expectedDepth < 0 ? "deeper than " + MAX_DEPTH : "not " + expectedDepth + ", one below its parent");
        }
        if (depth > 0 && entries == 0) {
            throw ExtFormatException.corrupt(structure, "eh_entries", 0, nodeOffset + EH_ENTRIES,
                    "an index node without entries");
        }
        return entries;
    }

    private Run leaf(ByteBuffer node, long nodeOffset, int entries, long logical, long max, long end)
            throws ExtFormatException {
        long previousEnd = 0;
        for (int i = 0; i < entries; i++) {
            int at = HEADER + ENTRY * i;
            long start = Integer.toUnsignedLong(node.getInt(at + EE_BLOCK));
            int rawLength = Short.toUnsignedInt(node.getShort(at + EE_LEN));
            boolean initialized = rawLength <= INIT_MAX_LEN;
            long length = initialized ? rawLength : rawLength - INIT_MAX_LEN;
            if (length == 0) {
                throw ExtFormatException.corrupt(structure, "ee_len", rawLength, nodeOffset + at + EE_LEN,
                        "an empty extent");
            }
            if (start < previousEnd || start + length > LOGICAL_LIMIT) {
                throw ExtFormatException.corrupt(structure, "ee_block", start, nodeOffset + at + EE_BLOCK,
                        "overlaps the extent before it or passes logical block 0xFFFFFFFF");
            }
            previousEnd = start + length;
            if (logical < start) {
                return new Run(HOLE, Math.min(max, start - logical));
            }
            if (logical < start + length) {
                long count = Math.min(max, start + length - logical);
                if (!initialized) {
                    return new Run(HOLE, count);
                }
                long physical = Integer.toUnsignedLong(node.getInt(at + EE_START_LO))
                        | (long) Short.toUnsignedInt(node.getShort(at + EE_START_HI)) << 32;
                checkBlock("ee_start", physical, length, nodeOffset + at + EE_START_HI);
                return new Run(physical + (logical - start), count);
            }
        }
        return new Run(HOLE, Math.max(1, Math.min(max, end - logical)));
    }

    private void checkBlock(String field, long block, long count, long imageOffset) throws ExtFormatException {
        long blocks = fs.superblock().blocksCount();
        if (block <= fs.superblock().firstDataBlock() || block >= blocks || count > blocks - block) {
            throw ExtFormatException.corrupt(structure, field, block, imageOffset, "0x" + Superblock.hex(count)
                    + " blocks from there leave the blocks 0x" + Superblock.hex(fs.superblock().firstDataBlock() + 1)
                    + "..0x" + Superblock.hex(blocks - 1));
        }
    }

    /** metadata_csum: the ext4_extent_tail after eh_max entries holds crc32c(inode seed, the bytes before it). */
    private void verifyTail(ByteBuffer node, long nodeOffset) throws ExtFormatException {
        if (!fs.superblock().metadataCsum()) {
            return;
        }
        int max = Short.toUnsignedInt(node.getShort(EH_MAX));
        int tail = HEADER + ENTRY * max;
        if (tail + 4 > node.capacity()) {
            throw ExtFormatException.corrupt(structure, "eh_max", max, nodeOffset + EH_MAX,
                    "leaves no room for the checksum tail");
        }
        int stored = node.getInt(tail);
        int computed = Crc32c.update(fs.inodeSeed(inode), node, 0, tail);
        if (stored != computed) {
            throw ExtFormatException.corrupt(structure, "et_checksum", Integer.toUnsignedLong(stored),
                    nodeOffset + tail, "computed 0x" + Superblock.hex(Integer.toUnsignedLong(computed)));
        }
    }
}
