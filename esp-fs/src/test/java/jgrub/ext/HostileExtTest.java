package jgrub.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import jgrub.disk.DiskFormatException;
import jgrub.disk.MemoryDevice;
import jgrub.fs.Disk;
import jgrub.fs.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damaged structure per test, each with its exact message. The images are real mke2fs -d output with a few bytes
 * patched; offsets come from the pristine image as the code under test reads it (which ExtMatrixTest checks against
 * debugfs and GRUB).
 */
class HostileExtTest {

    @TempDir
    static Path dir;

    /** ext4, 1 KiB blocks, no checksums: /islands (an extent tree of depth 1), /dir with entries. */
    static byte[] plain;
    /** The same with metadata_csum. */
    static byte[] csum;
    /** ext2, block maps: /dir/big.bin reaches the indirect block. */
    static byte[] ext2;

    @BeforeAll
    static void build() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("dir"));
        Random random = new Random(1);
        Files.write(root.resolve("dir/a.txt"), "a\n".getBytes());
        Files.write(root.resolve("dir/big.bin"), ExtImages.bytes(random, 40_000));
        java.util.Map<Long, byte[]> islands = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            islands.put(i * 4096L, ExtImages.bytes(random, 1024));
        }
        ExtImages.write(root, "/islands", new ExtImages.Staged(8 * 4096L, islands));
        plain = image(root, "plain.img", "-t", "ext4", "-b", "1024", "-O", "^metadata_csum,^64bit");
        csum = image(root, "csum.img", "-t", "ext4", "-b", "1024", "-O", "metadata_csum,64bit");
        ext2 = image(root, "ext2.img", "-t", "ext2", "-b", "1024");
    }

    private static byte[] image(Path root, String name, String... options) throws IOException {
        Path image = dir.resolve(name);
        ExtImages.mke2fs(image, root, "2M", options);
        return Files.readAllBytes(image);
    }

    private static MemoryDevice patched(byte[] image, long offset, int... bytes) {
        MemoryDevice device = new MemoryDevice(image);
        for (int i = 0; i < bytes.length; i++) {
            device.patch(offset + i, bytes[i]);
        }
        return device;
    }

    private static String failure(MemoryDevice device, String readPath) {
        return assertThrows(DiskFormatException.class, () -> {
            ExtFileSystem fs = ExtFileSystem.open(device);
            fs.list("/dir");
            if (readPath != null) {
                fs.open(readPath).newInputStream().readAllBytes();
            }
        }).getMessage();
    }

    private static Inode inode(byte[] image, String path) throws IOException {
        ExtFileSystem fs = ExtFileSystem.open(new MemoryDevice(image));
        return fs.inode(fs.entry(path).inode(), path);
    }

    /** The first physical block of an extent root of depth 0. */
    private static long firstExtent(Inode inode) {
        return Integer.toUnsignedLong(inode.raw().duplicate().order(ByteOrder.LITTLE_ENDIAN)
                .getInt(Inode.I_BLOCK + ExtentTree.HEADER + ExtentTree.EE_START_LO));
    }

    /** The block of the first child of an extent root of depth 1. */
    private static long firstLeaf(Inode inode) {
        return Integer.toUnsignedLong(inode.raw().duplicate().order(ByteOrder.LITTLE_ENDIAN)
                .getInt(Inode.I_BLOCK + ExtentTree.HEADER + ExtentTree.EI_LEAF_LO));
    }

    @Test
    void badMagic_isReported() {
        assertEquals("ext superblock: corrupt s_magic 0x0 at offset 0x438 (not 0xEF53)",
                failure(patched(plain, 0x438, 0, 0), null));
    }

    @Test
    void unknownIncompatibleFeature_isUnsupported() {
        // s_feature_incompat gains COMPRESSION (0x1).
        int incompat = ByteBuffer.wrap(plain, 0x460, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals("ext superblock: unsupported s_feature_incompat 0x" + Integer.toHexString(incompat | 1)
                .toUpperCase() + " at offset 0x460 (features 0x1 that jgrub does not read)",
                failure(patched(plain, 0x460, (incompat | 1) & 0xFF), null));
    }

    @Test
    void superblockChecksum_isVerified() {
        String message = failure(patched(csum, 0x478, 'X'), null);
        assertTrue(message.matches("ext superblock: corrupt s_checksum 0x[0-9A-F]+ at offset 0x7FC "
                + "\\(computed 0x[0-9A-F]+\\)"), message);
    }

    @Test
    void inodeChecksum_isVerified() throws IOException {
        Inode a = inode(csum, "/dir/a.txt");
        String message = failure(patched(csum, a.imageOffset() + Inode.I_MTIME, 0x12), "/dir/a.txt");
        assertTrue(message.matches("ext inode " + a.number() + " \\(/dir/a.txt\\): corrupt checksum 0x[0-9A-F]+ at "
                + "offset 0x" + Long.toHexString(a.imageOffset() + Inode.L_I_CHECKSUM_LO).toUpperCase()
                + " \\(computed 0x[0-9A-F]+\\)"), message);
    }

    @Test
    void extentHeaderMagic_isReported() throws IOException {
        Inode islands = inode(plain, "/islands");
        long leaf = firstLeaf(islands);
        assertEquals("ext extent tree of inode " + islands.number() + " (/islands): corrupt eh_magic 0x0 at offset 0x"
                + Long.toHexString(leaf * 1024).toUpperCase() + " (not 0xF30A)",
                failure(patched(plain, leaf * 1024, 0, 0), "/islands"));
    }

    @Test
    void extentBlockChecksum_isVerified() throws IOException {
        Inode islands = inode(csum, "/islands");
        long leaf = firstLeaf(islands);
        String message = failure(patched(csum, leaf * 1024 + ExtentTree.HEADER + ExtentTree.EE_BLOCK, 0x77),
                "/islands");
        assertTrue(message.startsWith("ext extent tree of inode " + islands.number()
                + " (/islands): corrupt et_checksum 0x"), message);
    }

    @Test
    void extentDepthMismatch_isReported() throws IOException {
        Inode islands = inode(plain, "/islands");
        long leaf = firstLeaf(islands);
        assertEquals("ext extent tree of inode " + islands.number() + " (/islands): corrupt eh_depth 0x1 at offset 0x"
                + Long.toHexString(leaf * 1024 + ExtentTree.EH_DEPTH).toUpperCase() + " (not 0, one below its parent)",
                failure(patched(plain, leaf * 1024 + ExtentTree.EH_DEPTH, 1), "/islands"));
    }

    @Test
    void directoryRecLen_isReported() throws IOException {
        Inode d = inode(ext2, "/dir");
        long block = d.blockPointer(0);
        // The first entry (.) gets rec_len 0.
        assertEquals("ext directory /dir (inode " + d.number() + "): corrupt rec_len 0x0 at offset 0x"
                + Long.toHexString(block * 1024 + 4).toUpperCase() + " (not a multiple of 4 from 0x8 to the 0x400 "
                + "bytes left)", failure(patched(ext2, block * 1024 + 4, 0, 0), null));
    }

    @Test
    void directoryBlockChecksum_isVerified() throws IOException {
        Inode d = inode(csum, "/dir");
        long block = firstExtent(d);
        // The name of the second entry (..) changes from ".." to ".x".
        String message = failure(patched(csum, block * 1024 + 12 + 8 + 1, 'x'), null);
        assertTrue(message.matches("ext directory /dir \\(inode " + d.number() + "\\): corrupt det_checksum "
                + "0x[0-9A-F]+ at offset 0x" + Long.toHexString(block * 1024 + 1024 - 4).toUpperCase()
                + " \\(computed 0x[0-9A-F]+\\)"), message);
    }

    @Test
    void indirectPointerOutOfRange_isReported() throws IOException {
        Inode big = inode(ext2, "/dir/big.bin");
        long indirect = big.blockPointer(12);
        assertEquals("ext block map of inode " + big.number() + " (/dir/big.bin): corrupt block pointer 0xFFFFFFFF at "
                + "offset 0x" + Long.toHexString(indirect * 1024).toUpperCase() + " (not a block 0x2..0x7FF)",
                failure(patched(ext2, indirect * 1024, 0xFF, 0xFF, 0xFF, 0xFF), "/dir/big.bin"));
    }

    @Test
    void inodeTablePastTheEnd_isReported() {
        // Group 0's bg_inode_table (block 2 of a 1 KiB file system, offset 8) points past the 0x800 blocks.
        assertEquals("ext group descriptor 0: corrupt bg_inode_table 0xFFFFFF at offset 0x808 (0x40 blocks from "
                + "there leave the blocks 0x2..0x7FF)", failure(patched(ext2, 0x808, 0xFF, 0xFF, 0xFF, 0), null));
    }

    @Test
    void strayMagicInAnMbrGap_isNotTakenForABareExtImage() throws IOException {
        Path image = dir.resolve("mbr.img");
        Files.write(image, new byte[4 << 20]);
        Tools.sfdisk(image, "label: dos\nstart=2048, type=83\n");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.seek(1024 + 0x18); // s_log_block_size out of range, as code in GRUB's core image would be
            f.write(new byte[] {0x77, 0x77, 0x77, 0x77});
            f.seek(1024 + 0x38);
            f.write(new byte[] {0x53, (byte) 0xEF});
        }
        try (Disk disk = Disk.open(image)) {
            assertEquals(jgrub.part.PartitionScheme.MBR, disk.table().scheme());
        }
    }

    @Test
    void needsRecovery_isAWarning() throws IOException {
        Path image = dir.resolve("recover.img");
        Files.write(image, csum);
        Tools.run(null, "debugfs", "-w", "-R", "feature needs_recovery", image.toString());
        try (Disk disk = Disk.open(image)) {
            ExtFileSystem fs = (ExtFileSystem) disk.fileSystem(disk.partition(null));
            assertEquals(List.of("ext file system " + fs.uuid() + ": needs journal recovery (needs_recovery set); the"
                    + " journal is not replayed, as GRUB does not, so the last changes may be missing"), fs.warnings());
            assertEquals("a\n", new String(fs.open("/dir/a.txt").newInputStream().readAllBytes()));
        }
    }
}
