package jgrub.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.BitSet;
import jgrub.fs.OpenFile;

/**
 * An open file: its cluster chain, checked once against the file size and kept as runs of contiguous clusters, so
 * that a read touches the FAT no more and every contiguous run is one device read. Positional reads are
 * thread-safe; the file's bytes are never held in the heap.
 */
public final class FatFile implements OpenFile {

    private final FatFileSystem fs;
    private final FatEntry entry;
    private final long size;
    private final int clusterSize;
    /** Run k covers file clusters runIndex[k] .. runIndex[k+1]-1 starting at data cluster runCluster[k]. */
    private final long[] runCluster;
    private final long[] runIndex;
    private final int runs;

    private FatFile(FatFileSystem fs, FatEntry entry, long[] runCluster, long[] runIndex, int runs) {
        this.fs = fs;
        this.entry = entry;
        this.size = entry.size();
        this.clusterSize = fs.clusterSize();
        this.runCluster = runCluster;
        this.runIndex = runIndex;
        this.runs = runs;
    }

    static FatFile open(FatFileSystem fs, FatEntry entry) throws IOException {
        long size = entry.size();
        int clusterSize = fs.clusterSize();
        long needed = (size + clusterSize - 1) / clusterSize;
        long[] runCluster = new long[4];
        long[] runIndex = new long[5];
        int runs = 0;
        if (needed == 0) {
            // An empty file owns no clusters; a stray first cluster is not followed.
            return new FatFile(fs, entry, runCluster, runIndex, 0);
        }
        String structure = "FAT chain of " + entry.path();
        long cluster = entry.firstCluster();
        if (cluster < 2 || cluster > fs.boot().maxCluster()) {
            throw FatFormatException.corrupt("directory entry " + entry.path(), "first cluster", cluster,
                    entry.entryOffset() + FatLayout.DIR_FST_CLUS_LO, cluster == 0
                            ? "a file of 0x" + Directories.hex(size) + " bytes needs clusters"
                            : "not a data cluster 0x2..0x" + Directories.hex(fs.boot().maxCluster()));
        }
        if (needed > fs.clusterCount()) {
            throw FatFormatException.corrupt("directory entry " + entry.path(), "file size", size,
                    entry.entryOffset() + FatLayout.DIR_FILE_SIZE, "needs 0x" + Directories.hex(needed)
                            + " clusters; the volume has 0x" + Directories.hex(fs.clusterCount()));
        }
        FatTable fat = fs.fat();
        FatType type = fs.type();
        BitSet seen = new BitSet();
        long i = 0;
        while (true) {
            // Clusters cluster .. cluster+n-1 follow each other; only the last one's entry can jump.
            long n = fat.contiguous(cluster, needed - i);
            int again = seen.nextSetBit((int) cluster);
            if (again >= 0 && again < cluster + n) {
                throw FatFormatException.corrupt(structure, "entry", again, fat.entryImageOffset(again - 1),
                        "cluster 0x" + Directories.hex(again - 1) + " points back to cluster 0x"
                                + Directories.hex(again) + ": the chain loops");
            }
            if (runs > 0 && cluster == runCluster[runs - 1] + (i - runIndex[runs - 1])) {
                // continues the previous run
            } else {
                if (runs == runCluster.length) {
                    runCluster = Arrays.copyOf(runCluster, runs * 2);
                    runIndex = Arrays.copyOf(runIndex, runs * 2 + 1);
                }
                runCluster[runs] = cluster;
                runIndex[runs] = i;
                runs++;
            }
            seen.set((int) cluster, (int) (cluster + n));
            i += n;
            long last = cluster + n - 1;
            long next = fat.get(last);
            if (type.isEndOfChain(next)) {
                if (i == needed) {
                    break;
                }
                throw FatFormatException.corrupt(structure, "entry", next, fat.entryImageOffset(last),
                        "the chain ends after 0x" + Directories.hex(i) + " clusters; the file size 0x"
                                + Directories.hex(size) + " needs 0x" + Directories.hex(needed));
            }
            fs.checkLink(structure, last, next);
            if (seen.get((int) next)) {
                throw FatFormatException.corrupt(structure, "entry", next, fat.entryImageOffset(last),
                        "cluster 0x" + Directories.hex(last) + " points back to cluster 0x"
                                + Directories.hex(next) + ": the chain loops");
            }
            if (i == needed) {
                throw FatFormatException.corrupt(structure, "entry", next, fat.entryImageOffset(last),
                        "the chain goes on past the 0x" + Directories.hex(needed) + " clusters the file size 0x"
                                + Directories.hex(size) + " needs");
            }
            cluster = next;
        }
        runIndex[runs] = needed;
        return new FatFile(fs, entry, runCluster, runIndex, runs);
    }

    @Override
    public FatEntry entry() {
        return entry;
    }

    @Override
    public long size() {
        return size;
    }

    /** Number of runs of contiguous clusters (1 for an unfragmented file, 0 for an empty one). */
    public int fragments() {
        return runs;
    }

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position} into {@code dst}.
     *
     * @return the number of bytes read, or -1 if {@code position} is at or past the end of the file
     */
    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int total = OpenFile.readLength(dst, position, size);
        if (total <= 0) {
            return total;
        }
        int limit = dst.limit();
        int done = 0;
        try {
            while (done < total) {
                long[] span = span(position + done, total - done);
                dst.limit(dst.position() + (int) span[1]);
                fs.read("file " + entry.path(), span[2], span[0], dst);
                done += (int) span[1];
            }
        } finally {
            dst.limit(limit);
        }
        return total;
    }

    /** Copies {@code count} bytes at {@code position} to {@code target} (the CLI's {@code cat} uses this). */
    @Override
    public void transferTo(long position, long count, WritableByteChannel target) throws IOException {
        OpenFile.checkRange(position, count, size);
        long done = 0;
        while (done < count) {
            long[] span = span(position + done, count - done);
            fs.checkInPartition("file " + entry.path(), span[2], span[0], span[1]);
            fs.device().transferTo(span[0], span[1], target);
            done += span[1];
        }
    }

    /**
     * The device offset of file byte {@code position}, how many bytes from there are contiguous (≤ max), and the data
     * cluster they start in.
     */
    private long[] span(long position, long max) {
        long index = position / clusterSize;
        int k = Arrays.binarySearch(runIndex, 0, runs, index);
        if (k < 0) {
            k = -k - 2;
        }
        long within = position - runIndex[k] * clusterSize;
        long runBytes = (runIndex[k + 1] - runIndex[k]) * clusterSize;
        long cluster = runCluster[k] + within / clusterSize;
        return new long[] {fs.clusterOffset(runCluster[k]) + within, Math.min(max, runBytes - within), cluster};
    }
}
