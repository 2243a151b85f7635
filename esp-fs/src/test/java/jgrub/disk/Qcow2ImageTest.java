package jgrub.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import jgrub.fs.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * qcow2 images made by the real {@code qemu-img} (and written into by {@code qemu-io}) read byte for byte as
 * {@code qemu-img convert -O raw} reads them: plain and compressed clusters, versions 2 and 3, small and large
 * clusters, unallocated clusters, backing files raw and qcow2. Damaged headers give one line.
 */
class Qcow2ImageTest {

    static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    static Path raw;

    /** 6 MiB: random 48 KiB runs at scattered offsets, a run of one repeated byte, holes between. */
    @BeforeAll
    static void rawImage() throws IOException {
        raw = dir.resolve("raw.img");
        Random random = new Random(12);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(6 * MIB);
            for (long at : new long[] {0, 70_000, 1 * MIB - 1000, 3 * MIB + 12_345, 6 * MIB - 48 * 1024}) {
                byte[] run = new byte[48 * 1024];
                random.nextBytes(run);
                f.seek(at);
                f.write(run);
            }
            f.seek(2 * MIB);
            byte[] same = new byte[300_000];
            java.util.Arrays.fill(same, (byte) 0x5A);
            f.write(same);
        }
    }

    @ParameterizedTest(name = "qemu-img convert {0}")
    @ValueSource(strings = {"-O qcow2", "-c -O qcow2", "-O qcow2 -o compat=0.10", "-c -O qcow2 -o cluster_size=512",
        "-O qcow2 -o cluster_size=2M", "-c -O qcow2 -o cluster_size=4096,compat=0.10"})
    void convertedImage_readsAsQemuImgReadsIt(String options) throws IOException {
        Path image = dir.resolve("converted.qcow2");
        Files.deleteIfExists(image);
        String[] args = (String.join(" ", "convert", "-f", "raw", options) + " " + raw + " " + image).split(" ");
        Tools.run(null, "qemu-img", args);
        assertReadsLike(image, qemuRaw(image));
        assertArrayEquals(Files.readAllBytes(raw), qemuRaw(image));
    }

    /** An overlay written by qemu-io over a compressed qcow2 base, and over a raw base smaller than it. */
    @Test
    void backingFiles_qcow2AndRaw_readThroughTheOverlay() throws IOException {
        Path base = dir.resolve("base.qcow2");
        Files.deleteIfExists(base);
        Tools.run(null, "qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", raw.toString(), base.toString());
        Path overlay = dir.resolve("overlay.qcow2");
        Files.deleteIfExists(overlay);
        Tools.run(null, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2",
                overlay.toString());
        Tools.run(null, "qemu-io", "-c", "write -P 0xab 1048000 100000", "-c", "write -z 3145728 65536",
                overlay.toString());
        assertReadsLike(overlay, qemuRaw(overlay));

        Path onRaw = dir.resolve("on-raw.qcow2");
        Files.deleteIfExists(onRaw);
        Tools.run(null, "qemu-img", "create", "-q", "-f", "qcow2", "-b", "raw.img", "-F", "raw", onRaw.toString(),
                "8M");
        Tools.run(null, "qemu-io", "-c", "write -P 0x11 6291000 200000", onRaw.toString());
        assertReadsLike(onRaw, qemuRaw(onRaw));
    }

    static Stream<Arguments> damaged() {
        return Stream.of(
                Arguments.of(4, new byte[] {0, 0, 0, 4}, "unsupported version 0x4 at offset 0x4 (jgrub reads versions"
                        + " 2 and 3)"),
                Arguments.of(20, new byte[] {0, 0, 0, 40}, "corrupt cluster_bits 0x28 at offset 0x14 (not between 9"
                        + " and 21)"),
                Arguments.of(32, new byte[] {0, 0, 0, 2}, "unsupported crypt_method 0x2 at offset 0x20 (encrypted"
                        + " images are not read)"),
                Arguments.of(79, new byte[] {4}, "unsupported incompatible_features 0x4 at offset 0x48 (an external"
                        + " data file)"),
                Arguments.of(79, new byte[] {0x10}, "unsupported incompatible_features 0x10 at offset 0x48 (extended"
                        + " L2 entries (subclusters))"),
                Arguments.of(78, new byte[] {1}, "unsupported incompatible_features 0x100 at offset 0x48 (unknown"
                        + " feature bits 0x100)"),
                Arguments.of(36, new byte[] {0x7F, -1, -1, -1}, "corrupt l1_size 0x7FFFFFFF at offset 0x24 (the image"
                        + " needs 1 entries; at most 4194304 are read)"),
                Arguments.of(40, new byte[] {0, 0, 0, 0, 0x7F, 0, 0, 0}, "corrupt l1_table_offset 0x7F000000 at"
                        + " offset 0x28 (not a cluster of the file holding 0x8 bytes)"));
    }

    @ParameterizedTest(name = "bytes at {0}")
    @MethodSource("damaged")
    void damagedHeader_isOneLine(int offset, byte[] bytes, String message) throws IOException {
        Path image = dir.resolve("damaged.qcow2");
        Files.deleteIfExists(image);
        Tools.run(null, "qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), image.toString());
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
        DiskFormatException e = assertThrows(DiskFormatException.class, () -> DiskImage.openImage(image));
        assertEquals("qcow2 header of " + image + ": " + message, e.getMessage());
    }

    @Test
    void missingBackingFile_isOneLine() throws IOException {
        Path overlay = dir.resolve("orphan.qcow2");
        Files.deleteIfExists(overlay);
        Tools.run(null, "qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", "gone.qcow2", "-F", "qcow2",
                overlay.toString(), "1M");
        DiskFormatException e = assertThrows(DiskFormatException.class, () -> DiskImage.openImage(overlay));
        assertEquals("qcow2 header of " + overlay + ": backing file " + dir.resolve("gone.qcow2") + " not found",
                e.getMessage());
    }

    /**
     * Seeded mutations of the header, the L1 table and the first L2 table of a compressed image: opening and reading
     * it gives the bytes or one line, never another exception, a hang or a large allocation.
     */
    @Test
    void mutatedImages_giveOnlyOneLineErrors() throws Exception {
        Path image = dir.resolve("mutated-source.qcow2");
        Files.deleteIfExists(image);
        Tools.run(null, "qemu-img", "convert", "-c", "-f", "raw", "-O", "qcow2", raw.toString(), image.toString());
        byte[] original = Files.readAllBytes(image);
        ByteBuffer header = ByteBuffer.wrap(original);
        int l1 = (int) header.getLong(40);
        int l2 = (int) (header.getLong(l1) & Qcow2Image.OFFSET_MASK);
        int[][] regions = {{0, 112}, {l1, 8}, {l2, 4096}};
        Random random = new Random(2026);
        Path mutated = dir.resolve("mutated.qcow2");
        int[] outcomes = new int[2];
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 150; i++) {
                byte[] bytes = original.clone();
                StringBuilder what = new StringBuilder();
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    int[] r = regions[random.nextInt(regions.length)];
                    int at = r[0] + random.nextInt(r[1]);
                    bytes[at] = (byte) MutationCampaign.value(random, bytes[at]);
                    what.append(String.format(" 0x%X=0x%02X", at, bytes[at]));
                }
                Files.write(mutated, bytes);
                try {
                    BlockDevice device = DiskImage.openImage(mutated);
                    try {
                        ByteBuffer all = ByteBuffer.allocate((int) Math.min(device.size(), 8 << 20));
                        device.read(0, all);
                    } finally {
                        ((Closeable) device).close();
                    }
                    outcomes[0]++;
                } catch (DiskFormatException | java.nio.file.FileSystemException expected) {
                    org.junit.jupiter.api.Assertions.assertFalse(expected.getMessage().contains("\n"),
                            what + " -> " + expected.getMessage());
                    outcomes[1]++;
                } catch (Throwable unexpected) {
                    org.junit.jupiter.api.Assertions.fail("iteration " + i + ":" + what + " -> " + unexpected,
                            unexpected);
                }
            }
        });
        org.junit.jupiter.api.Assertions.assertTrue(outcomes[0] > 7 && outcomes[1] > 7,
                "read fine " + outcomes[0] + ", refused " + outcomes[1]);
    }

    /** What qemu-img reads from {@code image}, as a raw file's bytes. */
    private static byte[] qemuRaw(Path image) throws IOException {
        Path out = dir.resolve("qemu-raw.img");
        Files.deleteIfExists(out);
        Tools.run(null, "qemu-img", "convert", "-O", "raw", image.toString(), out.toString());
        return Files.readAllBytes(out);
    }

    /** jgrub reads {@code expected} from {@code image}: whole, then in odd pieces across cluster ends. */
    private static void assertReadsLike(Path image, byte[] expected) throws IOException {
        BlockDevice device = DiskImage.openImage(image);
        try {
            assertEquals(Qcow2Image.class, device.getClass());
            assertEquals(expected.length, device.size());
            ByteBuffer all = ByteBuffer.allocate(expected.length);
            device.read(0, all);
            assertArrayEquals(expected, all.array());
            Random random = new Random(5);
            for (int i = 0; i < 200; i++) {
                int at = random.nextInt(expected.length);
                int length = Math.min(expected.length - at, random.nextInt(70_000));
                ByteBuffer piece = ByteBuffer.allocate(length);
                device.read(at, piece);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, at, at + length), piece.array(),
                        "bytes at " + at);
            }
        } finally {
            ((Closeable) device).close();
        }
    }
}
