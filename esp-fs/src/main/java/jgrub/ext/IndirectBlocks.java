package jgrub.ext;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The ext2/ext3 block map: i_block[0..11] point at data blocks, i_block[12], [13] and [14] at single, double and
 * triple indirect blocks of 32-bit pointers (blocks.rst, "Direct/Indirect Block Addressing"). A zero pointer at any
 * level is a hole.
 */
final class IndirectBlocks implements BlockMap {

    private static final int DIRECT = 12;

    private final ExtFileSystem fs;
    private final Inode inode;
    private final String structure;
    /** Pointers per indirect block, and its powers: the blocks one pointer covers at each level. */
    private final long[] span;

    IndirectBlocks(ExtFileSystem fs, Inode inode, String path) {
        this.fs = fs;
        this.inode = inode;
        this.structure = "ext block map of inode " + inode.number() + " (" + path + ")";
        long p = fs.blockSize() / 4;
        this.span = new long[] {1, p, p * p, p * p * p};
    }

    @Override
    public long addressableBlocks() {
        return DIRECT + span[1] + span[2] + span[3];
    }

    @Override
    public Run run(long logical, long max) throws IOException {
        if (logical < DIRECT) {
            return scanDirect((int) logical, Math.min(max, DIRECT - logical));
        }
        long n = logical - DIRECT;
        for (int level = 1; level <= 3; level++) {
            if (n < span[level]) {
                int k = DIRECT + level - 1;
                return descend(inode.blockPointer(k), level, n, Math.min(max, span[level] - n),
                        inode.imageOffset() + Inode.I_BLOCK + 4L * k);
            }
            n -= span[level];
        }
        return new Run(HOLE, max);
    }

    private Run scanDirect(int k, long max) throws IOException {
        long first = inode.blockPointer(k);
        check(first, inode.imageOffset() + Inode.I_BLOCK + 4L * k);
        long count = 1;
        while (count < max && continues(first, count, inode.blockPointer(k + (int) count))) {
            check(inode.blockPointer(k + (int) count), inode.imageOffset() + Inode.I_BLOCK + 4L * (k + count));
            count++;
        }
        return new Run(first == 0 ? HOLE : first, count);
    }

    /**
     * The run at index {@code n} of the subtree under {@code pointer} (read at {@code pointerOffset}), an indirect
     * block of {@code level}: 1 holds data block pointers.
     */
    private Run descend(long pointer, int level, long n, long max, long pointerOffset) throws IOException {
        if (pointer == 0) {
            return new Run(HOLE, max);
        }
        check(pointer, pointerOffset);
        long tableOffset = pointer * fs.blockSize();
        if (level > 1) {
            long child = n / span[level - 1];
            long within = n % span[level - 1];
            long entryOffset = tableOffset + 4 * child;
            long next = Integer.toUnsignedLong(fs.read(entryOffset, 4).getInt(0));
            return descend(next, level - 1, within, Math.min(max, span[level - 1] - within),
                    fs.device().imageOffset(entryOffset));
        }
        ByteBuffer table = fs.read(tableOffset + 4 * n, (int) (4 * max));
        long first = Integer.toUnsignedLong(table.getInt(0));
        long imageOffset = fs.device().imageOffset(tableOffset + 4 * n);
        check(first, imageOffset);
        int count = 1;
        while (count < max && continues(first, count, Integer.toUnsignedLong(table.getInt(4 * count)))) {
            check(Integer.toUnsignedLong(table.getInt(4 * count)), imageOffset + 4L * count);
            count++;
        }
        return new Run(first == 0 ? HOLE : first, count);
    }

    /** Whether the pointer {@code count} places after {@code first} keeps the run going (contiguous, or still a hole). */
    private static boolean continues(long first, long count, long pointer) {
        return first == 0 ? pointer == 0 : pointer == first + count;
    }

    private void check(long pointer, long imageOffset) throws ExtFormatException {
        if (pointer != 0 && (pointer <= fs.superblock().firstDataBlock() || pointer >= fs.superblock().blocksCount())) {
            throw ExtFormatException.corrupt(structure, "block pointer", pointer, imageOffset, "not a block 0x"
                    + Superblock.hex(fs.superblock().firstDataBlock() + 1) + "..0x"
                    + Superblock.hex(fs.superblock().blocksCount() - 1));
        }
    }
}
