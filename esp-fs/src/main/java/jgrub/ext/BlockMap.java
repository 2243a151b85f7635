package jgrub.ext;

import java.io.IOException;

/**
 * Where a file's logical blocks lie on the device: through the classic direct/indirect block pointers or through an
 * extent tree, chosen once per inode by EXT4_EXTENTS_FL. Nothing is cached: each lookup walks from the inode, so a
 * file of any size costs a few metadata reads per run and no heap.
 */
sealed interface BlockMap permits IndirectBlocks, ExtentTree {

    /** No physical block: a hole (or an uninitialized extent), read as zeros. */
    long HOLE = -1;

    /**
     * A run of logical blocks from {@code logical}: the physical block of its first block (or {@link #HOLE}) and how
     * many blocks, at most {@code max} and at least 1, continue it contiguously (or stay a hole).
     */
    record Run(long physical, long count) {
    }

    Run run(long logical, long max) throws IOException;

    /** How many logical blocks the scheme can address: the largest file it can describe. */
    long addressableBlocks();
}
