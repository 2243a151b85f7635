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
 * serial input to Xen, and its debug key {@code h} prints the key handlers. (The test initramfs has no shell.)
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
}
