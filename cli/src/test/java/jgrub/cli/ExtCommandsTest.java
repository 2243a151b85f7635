package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ls -p 2} and {@code cat '(hd0,gpt2)/...'} on an installer-style disk: GPT, a FAT ESP and an ext4 root
 * partition made by sfdisk, mkfs.fat and mke2fs -d.
 */
class ExtCommandsTest {

    @TempDir
    Path dir;

    Path image;

    @BeforeEach
    void disk() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("boot/grub"));
        Files.writeString(root.resolve("boot/grub/grub.cfg"), "set timeout=5\n");
        Files.writeString(root.resolve("boot/vmlinuz-6.1.0-test"), "kernel\n");
        Files.createSymbolicLink(root.resolve("boot/vmlinuz"), Path.of("vmlinuz-6.1.0-test"));
        image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(40L << 20);
        }
        run("label: gpt\nstart=2048, size=16384, type=U\nstart=18432, size=40960, type=L\n", "sfdisk", "-q",
                image.toString());
        run(null, "mkfs.fat", "--offset=2048", image.toString(), "8192");
        run(null, "mke2fs", "-q", "-F", "-t", "ext4", "-E", "offset=" + 18432L * 512, "-d", root.toString(),
                image.toString(), "20M");
    }

    private static void run(String stdin, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Prerequisites.program(program).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void parts_namesEachPartitionsFileSystem_asGrubProbeAndBlkidDo() throws IOException {
        MainTest.Run run = MainTest.Run.of("parts", image.toString());
        assertEquals(0, run.code(), run.err());
        Process blkid = new ProcessBuilder(Prerequisites.program("blkid").toString(), "-p", "-O",
                String.valueOf(18432L * 512), "-s", "UUID", "-o", "value", image.toString()).start();
        String uuid = new String(blkid.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(run.out().contains("  (hd0,gpt2)    ext2 [ext4]   UUID " + uuid + " "), uuid + "\n" + run.out());
        assertTrue(run.out().matches("(?s).*\n  \\(hd0,gpt1\\) +fat \\[vfat\\] +UUID [0-9A-F]{4}-[0-9A-F]{4} .*"),
                run.out());
    }

    @Test
    void lsOfTheExtPartition_listsIt() {
        MainTest.Run run = MainTest.Run.of("ls", "-p", "2", image.toString(), "/boot");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("d----          0  grub/\n"), run.out());
        assertTrue(run.out().contains("         7  vmlinuz-6.1.0-test\n"), run.out());
        assertTrue(run.out().contains("        18  vmlinuz\n"), run.out());
    }

    @Test
    void catThroughAGrubName_readsTheExtFile() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CatCommand.output = bytes;
        try {
            MainTest.Run run = MainTest.Run.of("cat", image.toString(), "(hd0,gpt2)/boot/grub/grub.cfg");
            assertEquals(0, run.code(), run.err());
            assertEquals("", run.err());
            assertEquals("set timeout=5\n", bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            run = MainTest.Run.of("cat", image.toString(), "(hd0,gpt2)/boot/vmlinuz");
            assertEquals(0, run.code(), run.err());
            assertEquals("kernel\n", bytes.toString(StandardCharsets.UTF_8));
        } finally {
            CatCommand.output = null;
        }
    }
}
