package jgrub.cli.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.cli.TestDisks;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.eval.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's disk commands on a disk built by esp-fs, read through the cli's DiskView over esp-fs. */
class ShellOnDiskTest {

    @TempDir
    Path dir;

    @Test
    void lsCatSearchAndBootCommandsSeeTheDisk() throws IOException {
        Files.createDirectories(dir.resolve("src/EFI/BOOT"));
        Files.writeString(dir.resolve("src/EFI/BOOT/grub.cfg"), "set timeout=3\nmenuentry X { true; }\n");
        Files.writeString(dir.resolve("src/xen.gz"), "xen\u0001");
        try (TestDisks.Opened disk = TestDisks.open(dir.resolve("src"), dir.resolve("disk.img"))) {
            Evaluation evaluation = disk.evaluate();
            RecordingBootCommands boot = new RecordingBootCommands(disk.disk());
            Shell shell = evaluation.shell(boot);
            assertEquals("(hd0) (hd0,gpt1) \n", shell.run("ls"));
            assertEquals("EFI/ xen.gz \n", shell.run("ls /"));
            assertEquals("BOOT/ \n", shell.run("ls (hd0,gpt1)/EFI"));
            assertEquals("\tPartition hd0,gpt1: Filesystem type fat - Label `JGRUB', UUID 1234-ABCD\n",
                    shell.run("ls (hd0,gpt1)"));
            assertEquals("xen<01>", shell.run("cat /xen.gz"));
            assertEquals("error: file `/nope' not found.\n", shell.run("cat /nope"));
            assertEquals("error: file `/nope' not found.\n", shell.run("ls /nope"));
            assertEquals("error: disk `hd9' not found.\n", shell.run("ls (hd9)"));
            assertEquals("hd0,gpt1\n", shell.run("search --set=r --file /xen.gz; echo $r"));
            assertEquals("error: file `/vmlinuz' not found.\n", shell.run("multiboot2 /vmlinuz"));
            assertEquals("", shell.run("multiboot2 /xen.gz"));
            assertEquals("", shell.run("boot"));
            assertEquals(true, boot.booted());
        }
    }
}
