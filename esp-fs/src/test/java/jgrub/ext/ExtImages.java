package jgrub.ext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jgrub.fs.Tools;

/**
 * Builds ext2/3/4 test images with the real mke2fs from a staged host tree ({@code mke2fs -d}), and remembers what
 * every file holds. Sparse host files stay sparse in the image (mke2fs copies data extents only).
 */
final class ExtImages {

    private ExtImages() {
    }

    /** A regular file staged on the host: its bytes, or for a sparse one its size and data islands. */
    record Staged(long size, Map<Long, byte[]> islands) {
        /** The bytes {@code [at, at + length)}. */
        byte[] range(long at, int length) {
            byte[] out = new byte[length];
            for (Map.Entry<Long, byte[]> island : islands.entrySet()) {
                long start = island.getKey();
                byte[] data = island.getValue();
                for (int i = 0; i < data.length; i++) {
                    long p = start + i;
                    if (p >= at && p < at + length) {
                        out[(int) (p - at)] = data[i];
                    }
                }
            }
            return out;
        }

        boolean small() {
            return size <= 8 << 20;
        }
    }

    /** Writes {@code file} under {@code root} at {@code path}. */
    static void write(Path root, String path, Staged file) throws IOException {
        Path host = root.resolve(path.substring(1));
        Files.createDirectories(host.getParent());
        try (RandomAccessFile f = new RandomAccessFile(host.toFile(), "rw")) {
            f.setLength(file.size());
            for (Map.Entry<Long, byte[]> island : file.islands().entrySet()) {
                f.seek(island.getKey());
                f.write(island.getValue());
            }
        }
    }

    static Staged dense(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new Staged(length, Map.of(0L, b));
    }

    static Staged text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Staged(b.length, Map.of(0L, b));
    }

    /**
     * The tree every matrix image holds, for block size {@code bs}: sizes around block and block-map boundaries,
     * sparse files (one reaching the triple-indirect range, past 4 GiB at 4 KiB blocks), 400 one-block islands
     * (an extent tree of depth 2 at 1 KiB blocks), names that differ only in case, symlink chains. Returns the
     * regular files by path; symlinks are made on the host. Without {@code trailingHoles} no sparse file ends in a
     * hole: on inline_data file systems mke2fs 1.47.0 -d sets such a file's size to the end of its last data block.
     */
    static Map<String, Staged> stage(Path root, int bs, boolean many, boolean trailingHoles) throws IOException {
        Map<String, Staged> files = new LinkedHashMap<>();
        Random random = new Random(bs);
        long p = bs / 4;
        long[] sizes = {0, 1, bs - 1, bs, bs + 1, 12L * bs, 12L * bs + 1, (12 + p) * bs + 7, 3_000_000};
        String[] names = {"empty", "one", "block-1", "block", "block+1", "direct", "indirect", "double", "big.bin"};
        for (int i = 0; i < sizes.length; i++) {
            files.put("/sizes/" + names[i], dense(random, (int) sizes[i]));
        }
        Map<Long, byte[]> holes = new LinkedHashMap<>();
        holes.put(0L, bytes(random, 1000));
        holes.put(1L << 20, bytes(random, 5000));
        files.put("/sparse/holes", new Staged(trailingHoles ? 3 * (1 << 20) + 17 : (1 << 20) + 5000, holes));
        long triple = (12 + p + p * p) * bs + 100;
        Map<Long, byte[]> far = new LinkedHashMap<>();
        far.put(0L, bytes(random, 10));
        far.put(triple, bytes(random, 5000));
        files.put("/sparse/triple", new Staged(triple + (trailingHoles ? 9000 : 5000), far));
        Map<Long, byte[]> islands = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            islands.put(2L * i * bs, bytes(random, bs));
        }
        files.put("/sparse/islands", new Staged((trailingHoles ? 800L : 799L) * bs, islands));
        for (String name : new String[] {"Readme", "README", "readme", "café naïve", "日本語.txt", "x".repeat(255)}) {
            files.put("/names/" + name, dense(random, 1 + random.nextInt(3000)));
        }
        files.put("/links/t0", text("end of the chain\n"));
        files.put("/inline/tiny", text("ten bytes\n"));
        files.put("/inline/mid", dense(random, 100));
        files.put("/inline/sub/leaf", text("leaf\n"));
        if (many) {
            for (int i = 0; i < 10_000; i++) {
                files.put(String.format("/many/f%05d", i), i % 1000 == 0 ? text("file " + i + "\n") : text(""));
            }
        }
        for (Map.Entry<String, Staged> f : files.entrySet()) {
            write(root, f.getKey(), f.getValue());
        }
        Path links = root.resolve("links");
        for (int i = 1; i <= 8; i++) {
            Files.createSymbolicLink(links.resolve("t" + i), Path.of("t" + (i - 1)));
        }
        Files.createSymbolicLink(links.resolve("abs"), Path.of("/names/Readme"));
        Files.createSymbolicLink(links.resolve("rel"), Path.of("../names/README"));
        Files.createSymbolicLink(links.resolve("slow"), Path.of("../sizes/" + "../sizes/".repeat(10) + "one"));
        Files.createSymbolicLink(links.resolve("dir"), Path.of("../sizes"));
        Files.createSymbolicLink(links.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(links.resolve("loop-b"), Path.of("loop-a"));
        return files;
    }

    static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** mke2fs -d: a new image of {@code size} (mke2fs units, {@code 96M}) holding {@code root}. */
    static void mke2fs(Path image, Path root, String size, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("-q", "-F", "-L", "jgrub-ext", "-U",
                "0123abcd-4567-89ef-0123-456789abcdef", "-E", "lazy_itable_init=0,lazy_journal_init=0"));
        args.addAll(List.of(options));
        args.addAll(List.of("-d", root.toString(), image.toString(), size));
        Tools.run(null, "mke2fs", args.toArray(String[]::new));
    }
}
