package jgrub.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFile;
import jgrub.fat.FatFileSystem;
import jgrub.fat.FatType;
import jgrub.part.PartitionScheme;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images made in the test run by mkfs.fat, sfdisk/fdisk and mtools, across FAT types, sector sizes, cluster sizes
 * and layouts; every file is compared byte for byte with what {@code mtype} reads, every directory with
 * {@code mdir}.
 */
class FatMatrixTest {

    @TempDir
    Path dir;

    /** How the file system sits on the disk. */
    enum Layout { NONE, GPT, GPT_4K, MBR_LOGICAL, MBR_4K }

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of(FatType.FAT12, 512, 1, Layout.NONE, 2000, 300_000),
                Arguments.of(FatType.FAT12, 512, 16, Layout.GPT, 16_000, 2_500_000),
                Arguments.of(FatType.FAT12, 4096, 1, Layout.GPT_4K, 15_000, 3_000_000),
                Arguments.of(FatType.FAT16, 512, 4, Layout.GPT, 32_768, 3_000_000),
                Arguments.of(FatType.FAT16, 512, 64, Layout.NONE, 160_000, 3_000_000),
                Arguments.of(FatType.FAT16, 4096, 2, Layout.MBR_4K, 49_152, 3_000_000),
                Arguments.of(FatType.FAT32, 512, 1, Layout.GPT, 40_960, 3_000_000),
                Arguments.of(FatType.FAT32, 512, 8, Layout.MBR_LOGICAL, 300_000, 3_000_000),
                Arguments.of(FatType.FAT32, 4096, 1, Layout.NONE, 300_000, 3_000_000),
                Arguments.of(FatType.FAT32, 512, 32, Layout.GPT_4K, 2_200_000, 3_000_000));
    }

    @ParameterizedTest(name = "{0} -S {1} -s {2} {3}")
    @MethodSource("matrix")
    void filesMatchMtools(FatType type, int sectorSize, int sectorsPerCluster, Layout layout, long kib, int big)
            throws IOException {
        int clusterSize = sectorSize * sectorsPerCluster;
        Path disk = dir.resolve("disk.img");
        long offset = build(disk, type, sectorSize, sectorsPerCluster, layout, kib);
        String img = Tools.mtoolsImage(disk, offset);

        Map<String, byte[]> files = stage(clusterSize, big);
        Tools.run(null, "mcopy", "-s", "-i", img, dir.resolve("stage/sizes").toString(),
                dir.resolve("stage/names").toString(), dir.resolve("stage/deep").toString(),
                dir.resolve("stage/many").toString(), "::/");
        fragment(img, clusterSize, files, disk, type == FatType.FAT32 ? offset + sectorSize : -1);

        try (Disk image = Disk.open(disk)) {
            assertEquals(offset, image.partition(null).start());
            assertEquals(layout == Layout.NONE ? PartitionScheme.NONE : layout.name().startsWith("GPT")
                    ? PartitionScheme.GPT : PartitionScheme.MBR, image.table().scheme());
            assertEquals(layout.name().endsWith("4K") ? 4096 : layout == Layout.NONE ? sectorSize : 512,
                    image.table().sectorSize());
            FatFileSystem fs = (FatFileSystem) image.fileSystem(image.partition(null));
            assertEquals(type, fs.type());
            assertEquals(clusterSize, fs.clusterSize());
            assertEquals("JGRUBTEST", fs.label().orElseThrow());
            assertEquals("1234-ABCD", fs.uuid());
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                String path = file.getKey();
                // The empty files of /many are checked by name (mdir below) and size; mtype for each would be slow.
                byte[] mtype = path.startsWith("/many/") && file.getValue().length == 0 ? new byte[0]
                        : Tools.run(null, "mtype", "-i", img, "::" + path);
                assertArrayEquals(file.getValue(), mtype, "mtype " + path);
                byte[] ours;
                try (InputStream in = fs.newInputStream(path)) {
                    ours = in.readAllBytes();
                }
                assertArrayEquals(mtype, ours, path);
                // ASCII case folded (as GRUB does), backslashes, repeated separators.
                String other = asciiUpper(path).replace('/', '\\').replaceFirst("\\\\", "\\\\\\\\");
                assertEquals(file.getValue().length, fs.size(other), other);
                String upper = path.toUpperCase(Locale.ROOT);
                if (!upper.equals(asciiUpper(path)) && upper.chars().anyMatch(c -> c >= 0x100)) {
                    // GRUB folds only ASCII: "ПРИВЕТ" does not find "Привет" (checked on GRUB 2.06).
                    assertTrue(!fs.exists(upper), upper);
                }
            }
            FatFile fragmented = fs.open("/frag/fragmented.bin");
            assertTrue(fragmented.fragments() > 10, "fragments: " + fragmented.fragments());
            randomReads(fs.open("/sizes/big.bin"), files.get("/sizes/big.bin"));
            randomReads(fragmented, files.get("/frag/fragmented.bin"));
            assertEquals(mdir(img), walk(fs));
        }
    }

    /** Creates the disk and the file system; returns the file system's byte offset. */
    private long build(Path disk, FatType type, int sectorSize, int spc, Layout layout, long kib) throws IOException {
        String[] mkfs = {"-F", Integer.toString(type == FatType.FAT12 ? 12 : type == FatType.FAT16 ? 16 : 32),
            "-S", Integer.toString(sectorSize), "-s", Integer.toString(spc), "-n", "JGRUBTEST", "-i", "1234ABCD"};
        if (layout == Layout.NONE) {
            Tools.mkfs(disk, -1, kib, mkfs);
            return 0;
        }
        long bytes = kib * 1024;
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(bytes + (4L << 20));
        }
        long offset;
        switch (layout) {
            case GPT -> {
                Tools.sfdisk(disk, "label: gpt\nstart=2048, size=" + bytes / 512 + ", type=U, name=\"ESP\"\n");
                offset = 2048 * 512;
            }
            case GPT_4K -> {
                fdisk4k(disk, "g\nn\n1\n256\n+" + bytes / 4096 + "\nt\n1\nw\n");
                offset = 256 * 4096;
            }
            case MBR_4K -> {
                fdisk4k(disk, "o\nn\np\n1\n256\n+" + bytes / 4096 + "\nt\nef\nw\n");
                offset = 256 * 4096;
            }
            case MBR_LOGICAL -> {
                // Primary 1 Linux, extended 2, logical 5 the FAT32 one (type 0x0C): the only FAT partition.
                Tools.sfdisk(disk, "label: dos\nstart=2048, size=2048, type=83\nstart=4096, type=5\n"
                        + "start=6144, size=" + bytes / 512 + ", type=c\n");
                offset = 6144L * 512;
            }
            default -> throw new IllegalArgumentException(layout.toString());
        }
        Tools.mkfs(disk, offset / sectorSize, kib, mkfs);
        return offset;
    }

    private static void fdisk4k(Path disk, String script) throws IOException {
        Tools.run(script.getBytes(StandardCharsets.US_ASCII), "fdisk", "-b", "4096", disk.toString());
    }

    /** Host files to copy: the sizes around a cluster, names that need long entries, a deep tree, a big dir. */
    private Map<String, byte[]> stage(int clusterSize, int big) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(clusterSize * 31L + big);
        int[] sizes = {0, 1, clusterSize - 1, clusterSize, clusterSize + 1, big};
        String[] sizeNames = {"empty", "one", "cluster-1", "cluster", "cluster+1", "big.bin"};
        for (int i = 0; i < sizes.length; i++) {
            files.put("/sizes/" + sizeNames[i], bytes(random, sizes[i]));
        }
        String longName = "L" + "o".repeat(250) + ".txt";
        for (String name : new String[] {longName, "café naïve.txt", "Привет мир.txt", "日本語のファイル名.txt",
            "Mixed Case Name.Txt", "UPPER.TXT", "lower.txt", "a.b.c.d", "spaces  and ++ plus"}) {
            files.put("/names/" + name, bytes(random, 1 + random.nextInt(3000)));
        }
        StringBuilder deep = new StringBuilder("/deep");
        for (int i = 1; i <= 12; i++) {
            deep.append("/level ").append(i);
        }
        files.put(deep + "/leaf.txt", "at the bottom\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 300; i++) {
            files.put(String.format(Locale.ROOT, "/many/entry number %03d with a long name.txt", i),
                    i % 50 == 0 ? bytes(random, 100 + i) : new byte[0]);
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path host = dir.resolve("stage" + file.getKey());
            Files.createDirectories(host.getParent());
            Files.write(host, file.getValue());
        }
        return files;
    }

    /** Fills 40 clusters, frees every other one and writes a file that must use the holes. */
    private void fragment(String img, int clusterSize, Map<String, byte[]> files, Path disk, long fsInfo)
            throws IOException {
        Random random = new Random(7);
        Path frag = dir.resolve("frag");
        Files.createDirectories(frag);
        List<String> hosts = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = bytes(random, clusterSize);
            Path host = frag.resolve("filler" + i);
            Files.write(host, data);
            hosts.add(host.toString());
            if (i % 2 == 0) {
                deletions.add("::/frag/filler" + i);
            } else {
                files.put("/frag/filler" + i, data);
            }
        }
        Tools.run(null, "mmd", "-i", img, "::/frag");
        List<String> copy = new ArrayList<>(List.of("-i", img));
        copy.addAll(hosts);
        copy.add("::/frag/");
        Tools.run(null, "mcopy", copy.toArray(String[]::new));
        List<String> del = new ArrayList<>(List.of("-i", img));
        del.addAll(deletions);
        Tools.run(null, "mdel", del.toArray(String[]::new));
        if (fsInfo >= 0) {
            // mtools allocates after FSINFO's next-free hint (FSI_Nxt_Free, offset 492); "unknown" makes it search
            // from cluster 2 and so fill the holes.
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.seek(fsInfo + 492);
                f.writeInt(-1);
            }
        }
        byte[] data = bytes(random, clusterSize * 30 + 123);
        Path host = dir.resolve("fragmented.bin");
        Files.write(host, data);
        Tools.run(null, "mcopy", "-i", img, host.toString(), "::/frag/fragmented.bin");
        files.put("/frag/fragmented.bin", data);
    }

    private static void randomReads(FatFile file, byte[] expected) throws IOException {
        Random random = new Random(expected.length);
        for (int i = 0; i < 200; i++) {
            int at = random.nextInt(expected.length);
            int length = random.nextInt(Math.min(70_000, expected.length - at) + 1);
            ByteBuffer buffer = ByteBuffer.allocateDirect(length + 10);
            buffer.position(5).limit(5 + length);
            assertEquals(length == 0 ? 0 : length, file.read(buffer, at));
            byte[] got = new byte[length];
            buffer.position(5);
            buffer.get(got);
            assertArrayEquals(Arrays.copyOfRange(expected, at, at + length), got, "read at " + at);
        }
        assertEquals(-1, file.read(ByteBuffer.allocate(1), expected.length));
    }

    private static TreeSet<String> mdir(String img) throws IOException {
        TreeSet<String> paths = new TreeSet<>();
        for (String line : Tools.text("mdir", "-/", "-b", "-i", img, "::/").split("\n")) {
            if (!line.isBlank()) {
                paths.add(line.substring(2));
            }
        }
        return paths;
    }

    private static TreeSet<String> walk(FatFileSystem fs) throws IOException {
        TreeSet<String> paths = new TreeSet<>();
        walk(fs, fs.root(), paths);
        return paths;
    }

    private static void walk(FatFileSystem fs, FatEntry dir, TreeSet<String> paths) throws IOException {
        for (FatEntry e : fs.list(dir)) {
            paths.add(e.path() + (e.isDirectory() ? "/" : ""));
            if (e.isDirectory()) {
                walk(fs, e, paths);
            }
        }
    }

    private static String asciiUpper(String s) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c >= 'a' && c <= 'z') {
                b.setCharAt(i, (char) (c - 32));
            }
        }
        return b.toString();
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
