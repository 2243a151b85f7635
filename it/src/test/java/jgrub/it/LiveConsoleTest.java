package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import jgrub.testing.Prerequisites;
import jgrub.testing.Tmux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrub boot} in a terminal makes the guest's UART the terminal: keys reach the guest and Ctrl-a x ends the
 * run. The guest that answers is Xen itself: three Ctrl-a (typed as Ctrl-a Ctrl-a, jgrub's escape for one) switch its
 * serial input to Xen, and its debug key {@code h} prints the key handlers; and dom0 itself: with {@code jgrub.shell}
 * on its command line the test initramfs starts a busybox shell on the console, which answers what is typed.
 */
class LiveConsoleTest {

    @Test
    void keysReachXen_andCtrlAXEndsTheRun(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Prerequisites.payload("xen.gz");
        Path disk = TestDisks.make(dir, "mb2");
        try (Tmux t = Tmux.start(120, 40, Tmux.java("jgrub.cli.Main", "boot", disk.toString(), "--entry", "0",
                "--timeout", "120"))) {
            t.waitFor("jgrub: the console is live; Ctrl-a x ends the run", 60);
            t.waitFor("Serial input to DOM0 (type 'CTRL-a' three times to switch input)", 60);
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                t.send("C-a", "C-a");
                Thread.sleep(100);
            }
            t.waitFor("Serial input to Xen", 20);
            t.send("h");
            t.waitFor("'h' pressed -> showing installed handlers", 20);
            t.send("C-a", "x");
            String screen = t.waitFor("EXIT=", 30);
            assertTrue(screen.contains("jgrub: ended from the console after "), screen);
            assertTrue(screen.contains("EXIT=0"), screen);
        }
    }

    @Test
    void dom0Shell_answersACommandTypedInTheTerminal(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        String marker = java.nio.file.Files.readString(Prerequisites.payload("marker")).strip();
        Path disk = TestDisks.make(dir, "mb2", "jgrub.shell");
        try (Tmux t = Tmux.start(120, 40, Tmux.java("jgrub.cli.Main", "boot", disk.toString(), "--entry", "0",
                "--timeout", "150"))) {
            t.waitFor(marker, 120);
            Thread.sleep(1000); // the shell starts after the marker line
            t.type("echo jgrub-shell-$((6*7))");
            t.send("Enter");
            String screen = t.waitFor("jgrub-shell-42", 30);
            assertTrue(screen.contains("jgrub-shell-42"), screen);
            t.send("C-a", "x");
            assertTrue(t.waitFor("EXIT=", 30).contains("EXIT=0"));
        }
    }
}
