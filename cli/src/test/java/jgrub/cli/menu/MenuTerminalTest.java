package jgrub.cli.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrub.fat.write.EspBuilder;
import jgrub.testing.Tmux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrub menu --interactive} in a real pseudo-terminal (tmux, 80x25): the screen text is asserted after each
 * step, and what the session chose is what the command prints after it. Each test starts one JVM.
 */
class MenuTerminalTest {

    static final String CONFIG = """
            set default=1
            set timeout=%s
            menuentry 'Xen 4.17' --class xen --hotkey x {
            \tmultiboot2 /xen.gz console=com1
            \tmodule2 /vmlinuz console=hvc0
            }
            submenu 'Advanced options' {
              menuentry 'Xen 4.17 (debug)' {
                multiboot2 /xen.gz loglvl=all
              }
              menuentry 'Xen 4.17 (safe)' {
                multiboot2 /xen.gz noreboot
              }
            }
            menuentry 'UEFI shell' {
              chainloader /EFI/BOOT/BOOTX64.EFI
            }
            """;

    @TempDir
    Path dir;

    private Tmux menu(String timeout) throws IOException {
        Files.writeString(dir.resolve("grub.cfg"), String.format(CONFIG, timeout));
        Files.writeString(dir.resolve("xen.gz"), "not really xen");
        Files.writeString(dir.resolve("vmlinuz"), "not really linux");
        Files.writeString(dir.resolve("BOOTX64.EFI"), "MZ");
        Path image = dir.resolve("disk.img");
        new EspBuilder(16 << 20).label("JGRUB")
                .add(dir.resolve("grub.cfg"), "/EFI/BOOT/grub.cfg")
                .add(dir.resolve("BOOTX64.EFI"), "/EFI/BOOT/BOOTX64.EFI")
                .add(dir.resolve("xen.gz"), "/xen.gz")
                .add(dir.resolve("vmlinuz"), "/vmlinuz")
                .write(image, false);
        return Tmux.start(80, 25, Tmux.java("jgrub.cli.Main", "menu", "--interactive", "--disk", image.toString()));
    }

    private static List<String> lines(String screen) {
        return screen.lines().toList();
    }

    @Test
    void navigateIntoSubmenuAndBack_thenBootAnEntry() throws IOException {
        try (Tmux t = menu("30")) {
            String screen = t.waitFor("executed automatically in");
            List<String> rows = lines(screen);
            assertTrue(rows.get(1).strip().startsWith("jgrub  version"), screen);
            assertEquals(" \u250c" + "\u2500".repeat(74) + "\u2510", rows.get(3), screen);
            assertEquals(" \u2502 Xen 4.17" + " ".repeat(65) + "\u2502", rows.get(4), screen);
            assertEquals(" \u2502*Advanced options" + " ".repeat(57) + "\u2502", rows.get(5), screen);
            assertEquals(" \u2502 UEFI shell", rows.get(6).substring(0, 13), screen);
            assertEquals(" \u2514", rows.get(16).substring(0, 2), screen);
            assertEquals("      Use the ^ and v keys to select which entry is highlighted.", rows.get(18), screen);
            assertTrue(rows.get(22).matches("   The highlighted entry will be executed automatically in (30|29|28)s\\."),
                    screen);

            t.send("End");
            screen = t.waitFor("*UEFI shell");
            assertTrue(!screen.contains("executed automatically"), "a key stops the countdown:\n" + screen);
            t.send("Home");
            t.waitFor("*Xen 4.17 ");
            t.send("Down", "Enter");
            screen = t.waitFor("*Xen 4.17 (debug)");
            assertTrue(screen.contains(" Xen 4.17 (safe)"), screen);
            assertTrue(screen.contains("ESC to return previous menu."), screen);
            t.send("Escape");
            screen = t.waitFor("*Advanced options");
            assertTrue(!screen.contains("ESC to return previous menu."), screen);
            t.send("Enter", "Down");
            t.waitFor("*Xen 4.17 (safe)");
            t.send("Enter");
            screen = t.waitFor("EXIT=");
            assertTrue(screen.contains("would boot: entry 1>1 `Xen 4.17 (safe)'\n"
                    + "  multiboot2 /xen.gz noreboot\n  boot\nboots\nEXIT=0"), screen);
        }
    }

    @Test
    void editAnEntry_bootsTheEditedBody() throws IOException {
        try (Tmux t = menu("30")) {
            t.waitFor("*Advanced options");
            t.send("Up", "e");
            String screen = t.waitFor("Minimum Emacs-like screen editing");
            List<String> rows = lines(screen);
            assertTrue(rows.get(4).startsWith(" \u2502 setparams 'Xen 4.17'"), screen);
            assertTrue(rows.get(6).startsWith(" \u2502         multiboot2 /xen.gz console=com1"), screen);
            t.send("Down", "Down", "End");
            t.type(" dom0_mem=1G");
            t.send("Down", "Home", "C-k");
            screen = t.waitWithout("module2");
            assertTrue(screen.contains("console=com1 dom0_mem=1G"), screen);
            t.send("C-x");
            screen = t.waitFor("EXIT=");
            assertTrue(screen.contains("would boot: edited entry 0 `Xen 4.17'"), screen);
            assertTrue(screen.contains("  multiboot2 /xen.gz console=com1 dom0_mem=1G\n  boot\nboots\nEXIT=0"),
                    screen);
        }
    }

    @Test
    void commandLine_runsCommandsCompletesAndBoots() throws IOException {
        try (Tmux t = menu("30")) {
            t.waitFor("*Advanced options");
            t.send("c");
            String screen = t.waitFor("grub>");
            assertTrue(screen.contains("   Minimal BASH-like line editing is supported."), screen);
            t.type("ls /");
            t.send("Enter");
            t.waitFor("EFI/ xen.gz vmlinuz");
            t.type("set kernel=/xen.gz");
            t.send("Enter");
            t.type("echo $ker");
            t.send("Tab");
            t.waitFor("echo $kernel");
            t.send("Enter");
            t.waitFor("/xen.gz\ngrub> ");
            t.type("multib");
            t.send("Tab");
            t.waitFor("grub> multiboot");
            t.type("2 /xe");
            t.send("Tab");
            t.waitFor("grub> multiboot2 /xen.gz");
            t.type("x=1");
            t.send("Enter");
            t.type("module2 /nope");
            t.send("Enter");
            t.waitFor("error: file `/nope' not found.");
            t.send("Up", "Up");
            t.waitFor("grub> multiboot2 /xen.gz x=1");
            t.send("C-u");
            t.type("boot");
            t.send("Enter");
            screen = t.waitFor("EXIT=");
            assertTrue(screen.contains("would boot: command line: 1 boot command(s)\n  multiboot2 /xen.gz x=1\n"
                    + "  boot\nboots\nEXIT=0"), screen);
        }
    }

    @Test
    void countdownExpires_bootsTheDefault() throws IOException {
        try (Tmux t = menu("2")) {
            t.waitFor("The highlighted entry will be executed automatically in ");
            String screen = t.waitFor("EXIT=");
            assertTrue(screen.contains("would boot: entry 1>0 `Xen 4.17 (debug)' (timeout)\n"
                    + "  multiboot2 /xen.gz loglvl=all\n  boot\nboots\nEXIT=0"), screen);
        }
    }
}
