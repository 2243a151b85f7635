package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.testing.Prerequisites;
import jgrub.testing.Tmux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrub boot} in a terminal (tmux): the GRUB-style menu comes up, an entry's command line is edited in the
 * editor, and Ctrl-x boots the edited entry to dom0's /init; Xen prints the edited command line.
 */
class MenuBootTest {

    @Test
    void editedEntryBootsToDom0(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Prerequisites.payload("xen.gz");
        Path disk = TestDisks.make(dir, "mb2");
        Path log = dir.resolve("console.log");
        try (Tmux t = Tmux.start(100, 30, Tmux.java("jgrub.cli.Main", "boot", disk.toString(), "--menu",
                "--until", "JGRUB-INITRAMFS-MARKER", "--timeout", "120", "--log", log.toString()))) {
            t.waitFor("*Debian GNU/Linux, with Xen hypervisor");
            t.send("e");
            t.waitFor("Minimum Emacs-like screen editing");
            // setparams, a blank line, then the body: its 10th line loads Xen (multiboot2 /boot/xen.gz).
            for (int i = 0; i < 11; i++) {
                t.send("Down");
            }
            t.send("End");
            t.type(" jgrub.edited=yes");
            String edited = t.waitFor("jgrub.edited=yes");
            assertTrue(edited.contains("placeholder console=com1 com1=115200,8n1 dom0_mem=512M ${xen_rm_opts}"
                    + " jgrub.edited=yes"), edited);
            t.send("C-x");
            String screen = t.waitFor("EXIT=", 150);
            assertTrue(screen.contains("jgrub: matched 'JGRUB-INITRAMFS-MARKER' at "), screen);
            assertTrue(screen.contains("EXIT=0"), screen);
            assertTrue(Files.readString(log).contains("Command line: placeholder console=com1 com1=115200,8n1"
                    + " dom0_mem=512M no-real-mode edd=off jgrub.edited=yes"), "Xen got the edited command line");
        }
    }
}
