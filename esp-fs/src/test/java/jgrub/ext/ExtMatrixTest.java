package jgrub.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jgrub.fs.Disk;
import jgrub.fs.FileSystem;
import jgrub.fs.Tools;
import jgrub.part.PartitionScheme;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Images made in the test run by mke2fs -d across ext versions, block sizes and features; every file is compared
 * byte for byte with the staged host file, with {@code debugfs dump} and with GRUB's own ext2 driver
 * ({@code grub-fstest cat}), every directory listing with {@code debugfs ls -p}; identity with {@code blkid}.
 */
class ExtMatrixTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ext2-1k-128  | ext2 | 1024 | false | -t ext2 -b 1024 -I 128",
        "ext2-4k-many | ext2 | 4096 | true  | -t ext2 -b 4096",
        "ext3-1k      | ext3 | 1024 | false | -t ext3 -b 1024",
        "ext3-4k      | ext3 | 4096 | false | -t ext3 -b 4096",
        "ext4-1k-32   | ext4 | 1024 | false | -t ext4 -b 1024 -O ^64bit,^metadata_csum",
        "ext4-1k-64-csum-many | ext4 | 1024 | true | -t ext4 -b 1024 -O 64bit,metadata_csum",
        "ext4-4k-64-csum-many | ext4 | 4096 | true | -t ext4 -b 4096 -O 64bit,metadata_csum",
        "ext4-4k-32-meta_bg | ext4 | 4096 | false | -t ext4 -b 4096 -O ^64bit,meta_bg,^resize_inode",
        "ext4-4k-inline | ext4 | 4096 | false | -t ext4 -b 4096 -O inline_data",
        "ext4-1k-inline-csum | ext4 | 1024 | false | -t ext4 -b 1024 -O inline_data,metadata_csum,64bit",
    })
    void filesMatchDebugfsAndGrub(String name, String version, int bs, boolean many, String options)
            throws IOException {
        Path root = dir.resolve("root");
        Map<String, ExtImages.Staged> files = ExtImages.stage(root, bs, many, !options.contains("inline_data"));
        Path image = dir.resolve(name + ".img");
        List<String> mkfs = new ArrayList<>(Arrays.asList(options.split(" ")));
        mkfs.addAll(List.of("-N", "16384"));
        ExtImages.mke2fs(image, root, "96M", mkfs.toArray(String[]::new));
        if (many) {
            // e2fsck -D rebuilds large directories as htrees (mke2fs -d writes them linear).
            e2fsckOptimize(image);
            assertTrue(debugfs(image, "stat /many").contains("Flags: 0x1000")
                    || debugfs(image, "stat /many").contains("Flags: 0x81000"), "/many is an htree");
        }
        boolean grubReads = !options.contains("inline_data");
        try (Disk disk = Disk.open(image)) {
            assertEquals(PartitionScheme.NONE, disk.table().scheme());
            FileSystem generic = disk.fileSystem(disk.partition(null));
            ExtFileSystem fs = (ExtFileSystem) generic;
            assertEquals("ext2", fs.typeName());
            String blkid = Tools.text("blkid", "-p", "-o", "export", image.toString());
            assertTrue(blkid.contains("\nTYPE=" + version + "\n"), blkid);
            assertEquals(version, fs.version());
            assertTrue(blkid.contains("\nUUID=" + fs.uuid() + "\n"), blkid);
            assertEquals("0123abcd-4567-89ef-0123-456789abcdef", fs.uuid());
            assertEquals("jgrub-ext", fs.label().orElseThrow());
            assertEquals(bs, fs.blockSize());
            assertEquals(List.of(), fs.warnings());

            Path dumps = dir.resolve("dumps");
            Files.createDirectories(dumps);
            StringBuilder commands = new StringBuilder();
            List<String> dumped = new ArrayList<>();
            for (String path : files.keySet()) {
                if (files.get(path).small() && !(path.startsWith("/many/") && files.get(path).size() == 0)) {
                    commands.append("dump \"").append(path).append("\" ").append(dumps.resolve("f" + dumped.size()))
                            .append('\n');
                    dumped.add(path);
                }
            }
            Path script = dir.resolve("dump.cmds");
            Files.writeString(script, commands.toString());
            Tools.run(null, "debugfs", "-f", script.toString(), image.toString());
            for (int i = 0; i < dumped.size(); i++) {
                String path = dumped.get(i);
                byte[] expected = files.get(path).range(0, (int) files.get(path).size());
                byte[] dump = Files.readAllBytes(dumps.resolve("f" + i));
                if (options.contains("inline_data") && expected.length < 60 && dump.length == 60) {
                    // debugfs 1.47.0 dumps an inline-data file shorter than i_block as all 60 bytes of i_block.
                    dump = Arrays.copyOf(dump, expected.length);
                }
                assertArrayEquals(expected, dump, "debugfs dump " + path);
                assertArrayEquals(expected, readAll(fs, path), path);
                assertArrayEquals(expected, fs.readAllBytes(fs.entry(path)), "readAllBytes " + path);
                if (grubReads && !path.startsWith("/many/")) {
                    assertArrayEquals(expected, Tools.run(null, "grub-fstest", image.toString(), "cat",
                            "(loop0)" + path), "grub-fstest cat " + path);
                }
            }
            for (Map.Entry<String, ExtImages.Staged> f : files.entrySet()) {
                assertEquals(f.getValue().size(), fs.size(f.getKey()), f.getKey());
            }
            sparseRanges(fs, image, files.get("/sparse/triple"), "/sparse/triple", grubReads);
            randomReads(fs, files.get("/sparse/islands"), "/sparse/islands");
            randomReads(fs, files.get("/sizes/big.bin"), "/sizes/big.bin");

            // Symlinks: GRUB follows seven in one lookup and refuses the eighth.
            byte[] end = "end of the chain\n".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(end, readAll(fs, "/links/t7"));
            assertThrows(FileSystemLoopException.class, () -> fs.open("/links/t8"));
            assertThrows(FileSystemLoopException.class, () -> fs.open("/links/loop-a"));
            assertArrayEquals(files.get("/names/Readme").range(0, (int) fs.size("/names/Readme")),
                    readAll(fs, "/links/abs"));
            assertArrayEquals(readAll(fs, "/names/README"), readAll(fs, "/links/rel"));
            assertArrayEquals(readAll(fs, "/sizes/one"), readAll(fs, "/links/slow"));
            assertArrayEquals(readAll(fs, "/sizes/block"), readAll(fs, "/links/dir/block"));
            assertTrue(fs.isDirectory("/links/dir"));
            if (grubReads) {
                assertArrayEquals(end, Tools.run(null, "grub-fstest", image.toString(), "cat", "(loop0)/links/t7"));
                for (String link : new String[] {"/links/abs", "/links/rel", "/links/slow", "/links/dir/block"}) {
                    assertArrayEquals(readAll(fs, link), Tools.run(null, "grub-fstest", image.toString(), "cat",
                            "(loop0)" + link), "grub-fstest cat " + link);
                }
            }
            // Case-sensitive names, as GRUB's ext2 module matches them.
            assertThrows(NoSuchFileException.class, () -> fs.entry("/names/rEADME"));
            assertTrue(fs.exists("/SIZES/../names/readme") == false);

            for (String d : new String[] {"/", "/sizes", "/sparse", "/names", "/links", "/inline", "/inline/sub"}) {
                assertListing(fs, image, d, grubReads);
            }
            if (many) {
                assertListing(fs, image, "/many", grubReads);
                assertEquals(10_000, fs.list("/many").size());
            }
        }
    }

    /**
     * Uninitialized extents (debugfs fallocate) over blocks holding stale bytes read as zeros, as Linux and debugfs
     * read them. GRUB 2.06 returns the stale bytes there (it ignores the unwritten bit); jgrub follows Linux.
     */
    @org.junit.jupiter.api.Test
    void uninitializedExtents_readAsZeros() throws IOException {
        Path root = dir.resolve("uninit");
        Files.createDirectories(root);
        Files.writeString(root.resolve("f"), "x\n");
        Path image = dir.resolve("uninit.img");
        ExtImages.mke2fs(image, root, "8M", "-t", "ext4", "-b", "4096");
        Path commands = dir.resolve("fallocate.cmds");
        Files.writeString(commands, "fallocate /f 1 40\nsif /f size 167936\n");
        Tools.run(null, "debugfs", "-w", "-f", commands.toString(), image.toString());
        long physical;
        try (Disk disk = Disk.open(image)) {
            ExtFileSystem fs = (ExtFileSystem) disk.fileSystem(disk.partition(null));
            Inode inode = fs.inode(fs.entry("/f").inode(), "/f");
            BlockMap.Run run = fs.blockMap(inode, "/f").run(1, 40);
            assertEquals(new BlockMap.Run(BlockMap.HOLE, 40), run);
            // The second extent's physical start, from its raw entry: stale bytes go there.
            ByteBuffer raw = inode.raw();
            int second = Inode.I_BLOCK + ExtentTree.HEADER + ExtentTree.ENTRY;
            physical = Integer.toUnsignedLong(raw.getInt(second + ExtentTree.EE_START_LO));
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.seek(physical * 4096);
            f.write(ExtImages.bytes(new Random(5), 4096));
        }
        byte[] expected = new byte[167936];
        expected[0] = 'x';
        expected[1] = '\n';
        try (Disk disk = Disk.open(image)) {
            assertArrayEquals(expected, readAll(disk.fileSystem(disk.partition(null)), "/f"));
        }
        Path dump = dir.resolve("f.out");
        Tools.run(null, "debugfs", "-R", "dump /f " + dump, image.toString());
        assertArrayEquals(expected, Files.readAllBytes(dump));
    }

    /** The listing in on-disk order equals debugfs's (names, inodes, sizes of regular files) and GRUB's names. */
    private static void assertListing(ExtFileSystem fs, Path image, String path, boolean grubReads)
            throws IOException {
        List<String> ours = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ExtEntry e : fs.list(path)) {
            boolean regular = (e.mode() & 0xF000) == 0x8000;
            ours.add(e.name() + " " + e.inode() + " " + (regular ? Long.toString(e.size()) : ""));
            names.add(e.name());
        }
        List<String> theirs = new ArrayList<>();
        for (String line : debugfs(image, "ls -p \"" + path + "\"").split("\n")) {
            if (!line.startsWith("/")) {
                continue;
            }
            // /inode/mode/uid/gid/name/size/
            String[] f = line.split("/", -1);
            String name = String.join("/", Arrays.copyOfRange(f, 5, f.length - 2));
            // debugfs also prints unused entries (inode 0) of htree blocks; GRUB and Linux skip them.
            if (name.equals(".") || name.equals("..") || f[1].equals("0")) {
                continue;
            }
            boolean regular = f[2].startsWith("10");
            theirs.add(name + " " + f[1] + " " + (regular ? f[f.length - 2] : ""));
        }
        assertSameList(theirs, ours, "debugfs ls -p " + path);
        if (grubReads && names.stream().noneMatch(n -> n.contains(" "))) {
            String grub = new String(Tools.run(null, "grub-fstest", image.toString(), "ls", "(loop0)" + path),
                    StandardCharsets.UTF_8);
            List<String> grubNames = new ArrayList<>();
            for (String n : grub.strip().split("\\s+")) {
                if (!n.isEmpty()) {
                    grubNames.add(n.endsWith("/") ? n.substring(0, n.length() - 1) : n);
                }
            }
            assertSameList(grubNames, names, "grub-fstest ls " + path);
        }
    }

    /** Equal lists; a difference is reported by its first index, not by printing 10,000 entries. */
    static void assertSameList(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": entry " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": entries");
    }

    /** A file too big to dump: its data island and both ends, by us and by GRUB through --skip/--length. */
    private static void sparseRanges(ExtFileSystem fs, Path image, ExtImages.Staged file, String path,
            boolean grubReads) throws IOException {
        ExtFile open = fs.open(path);
        for (Map.Entry<Long, byte[]> island : file.islands().entrySet()) {
            long at = Math.max(0, island.getKey() - 3000);
            int length = (int) Math.min(island.getValue().length + 6000, file.size() - at);
            byte[] expected = file.range(at, length);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            assertEquals(length, open.read(buffer, at));
            assertArrayEquals(expected, buffer.array(), path + " at " + at);
            if (grubReads) {
                assertArrayEquals(expected, Tools.run(null, "grub-fstest", "--skip=" + at, "--length=" + length,
                        image.toString(), "cat", "(loop0)" + path), "grub-fstest " + path + " at " + at);
            }
        }
        // The whole file streams through transferTo: holes as zeros, nothing held (past 4 GiB at 4 KiB blocks).
        long[] counted = new long[2];
        open.transferTo(0, file.size(), new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                while (src.hasRemaining()) {
                    counted[1] += src.get() & 0xFF;
                }
                counted[0] += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        });
        long sum = 0;
        for (byte[] island : file.islands().values()) {
            for (byte x : island) {
                sum += x & 0xFF;
            }
        }
        assertEquals(file.size(), counted[0]);
        assertEquals(sum, counted[1], "byte sum of " + path);
        ByteBuffer tail = ByteBuffer.allocate(100);
        assertEquals(100, open.read(tail, file.size() - 100));
        assertArrayEquals(file.range(file.size() - 100, 100), tail.array());
        assertEquals(-1, open.read(ByteBuffer.allocate(1), file.size()));
    }

    private static void randomReads(ExtFileSystem fs, ExtImages.Staged file, String path) throws IOException {
        ExtFile open = fs.open(path);
        Random random = new Random(file.size());
        for (int i = 0; i < 100; i++) {
            long at = (long) (random.nextDouble() * file.size());
            int length = (int) Math.min(random.nextInt(70_000) + 1, file.size() - at);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            assertEquals(length, open.read(buffer, at));
            assertArrayEquals(file.range(at, length), buffer.array(), path + " at " + at);
        }
    }

    static byte[] readAll(FileSystem fs, String path) throws IOException {
        try (InputStream in = fs.newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    static String debugfs(Path image, String request) throws IOException {
        return Tools.text("debugfs", "-R", request, image.toString());
    }

    /** e2fsck -fyD exits 1 when it changed something (the directories it rebuilt), which is the point here. */
    static void e2fsckOptimize(Path image) throws IOException {
        Process p = new ProcessBuilder(jgrub.testing.Prerequisites.program("e2fsck").toString(), "-fyD",
                image.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int code = p.waitFor();
            assertTrue(code == 0 || code == 1, "e2fsck -fyD exited " + code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

}
