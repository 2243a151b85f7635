package jgrub.ext;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import jgrub.disk.MemoryDevice;
import jgrub.disk.MutationCampaign;
import jgrub.disk.MutationCampaign.Region;
import jgrub.part.PartitionTable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded mutations of the superblock, group descriptors, inodes, extent and indirect blocks and directory blocks of
 * small mke2fs images. Whatever the bytes, only the module's checked exceptions (and java.nio.file's for paths) may
 * come out, each one line, and quickly.
 */
class ExtMutationTest {

    private static final int ITERATIONS = 1200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ext4 csum   | 20261204 | -t ext4 -b 1024 -O 64bit,metadata_csum,inline_data",
        "ext4 plain  | 7        | -t ext4 -b 1024 -O ^metadata_csum,^64bit",
        "ext2 blocks | 42       | -t ext2 -b 1024",
    })
    void mutatedImages_raiseOnlyTheModulesExceptions(String name, long seed, String options) throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("dir/sub"));
        Random content = new Random(seed);
        Files.write(root.resolve("dir/sub/small.txt"), "small\n".getBytes());
        Files.write(root.resolve("dir/big.bin"), ExtImages.bytes(content, 300_000));
        Files.write(root.resolve("inline"), ExtImages.bytes(content, 90));
        ExtImages.write(root, "/islands", new ExtImages.Staged(60L * 1024,
                java.util.Map.of(0L, ExtImages.bytes(content, 1024), 10240L, ExtImages.bytes(content, 1024),
                        20480L, ExtImages.bytes(content, 1024), 30720L, ExtImages.bytes(content, 1024),
                        40960L, ExtImages.bytes(content, 1024), 51200L, ExtImages.bytes(content, 1024))));
        Files.createSymbolicLink(root.resolve("link"), Path.of("dir/sub/small.txt"));
        Files.createSymbolicLink(root.resolve("slow"), Path.of("dir/" + "../dir/".repeat(10) + "big.bin"));
        Path image = dir.resolve("m.img");
        ExtImages.mke2fs(image, root, "4M", options.split(" "));
        byte[] bytes = Files.readAllBytes(image);
        MutationCampaign.run(bytes, regions(bytes), seed, ITERATIONS, 3, Duration.ofSeconds(90),
                MutationCampaign::value, ExtMutationTest::exercise);
    }

    /** The superblock, the first group descriptors, the first inodes, and the blocks of /, /dir, /islands, big.bin. */
    private static List<Region> regions(byte[] image) throws IOException {
        ExtFileSystem fs = ExtFileSystem.open(new MemoryDevice(image));
        int bs = fs.blockSize();
        List<Region> regions = new ArrayList<>();
        regions.add(new Region("superblock", 1024, 0x180));
        regions.add(new Region("gdt", (fs.superblock().firstDataBlock() + 1) * bs, 4L * fs.superblock().descSize()));
        Inode rootInode = fs.inode(2, "/");
        regions.add(new Region("inodes", rootInode.imageOffset() - fs.superblock().inodeSize(),
                20L * fs.superblock().inodeSize()));
        for (String path : new String[] {"/", "/dir", "/islands", "/dir/big.bin"}) {
            ExtEntry e = fs.entry(path);
            Inode inode = fs.inode(e.inode(), path);
            if (inode.hasFlag(Inode.EXT4_INLINE_DATA_FL)) {
                continue;
            }
            // The first mapped block: a directory block, an extent leaf, or an indirect block.
            long block = inode.hasFlag(Inode.EXT4_EXTENTS_FL)
                    ? leafOrFirst(inode) : inode.blockPointer(path.endsWith(".bin") ? 12 : 0);
            if (block > 0) {
                regions.add(new Region(path, block * bs, Math.min(bs, 512)));
            }
        }
        return regions;
    }

    /** An extent root's first child (index node) or first extent's start. */
    private static long leafOrFirst(Inode inode) {
        ByteBuffer b = inode.raw().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int depth = Short.toUnsignedInt(b.getShort(Inode.I_BLOCK + ExtentTree.EH_DEPTH));
        int first = Inode.I_BLOCK + ExtentTree.HEADER;
        return Integer.toUnsignedLong(b.getInt(first + (depth > 0 ? ExtentTree.EI_LEAF_LO : ExtentTree.EE_START_LO)));
    }

    /** Open, list every directory once (cycles cut), read the start and end of every file, follow the links. */
    private static void exercise(MemoryDevice device) throws IOException {
        PartitionTable.read(device);
        ExtFileSystem fs = ExtFileSystem.open(device);
        fs.label();
        fs.uuid();
        walk(fs, fs.root(), new HashSet<>(), 0);
        for (String path : new String[] {"/link", "/slow", "/dir/sub/small.txt", "/dir/../inline"}) {
            if (fs.exists(path) && !fs.isDirectory(path)) {
                read(fs.open(path));
            }
        }
    }

    private static void walk(ExtFileSystem fs, ExtEntry dir, Set<Long> seen, int depth) throws IOException {
        if (!seen.add(dir.inode()) || depth > 8) {
            return;
        }
        for (ExtEntry e : fs.list(dir)) {
            if (e.isDirectory()) {
                walk(fs, e, seen, depth + 1);
            } else {
                read(fs.open(e));
            }
        }
    }

    private static void read(ExtFile file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        for (long position = 0; position < Math.min(file.size(), 512 * 1024);) {
            int n = file.read(buffer.clear(), position);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        if (file.size() > 0) {
            file.read(buffer.clear(), file.size() - 1);
        }
        file.newInputStream().readNBytes(4096);
    }
}
