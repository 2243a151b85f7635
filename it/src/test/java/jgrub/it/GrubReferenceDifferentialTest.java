package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jgrub.cli.Main;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Debian-style disk booted by the real GRUB 2 (x86_64-efi on OVMF, scripts/grub-reference-boot) and
 * by {@code jgrub boot --platform efi}: Xen must report the same command line and the same dom0 kernel and modules.
 * Only what the two firmwares legitimately differ in (loader name, memory map, load addresses) may differ.
 */
class GrubReferenceDifferentialTest {

    /** Xen's report of what it received, as both boots print it. */
    static List<String> received(String console) {
        return console.lines()
                .map(l -> l.replaceFirst("^\\d+\\.\\d{3} ", "")) // grub-reference-boot's timestamps
                .filter(l -> l.startsWith("(XEN) Command line:") || l.startsWith("(XEN)  Dom0 kernel:")
                        || l.startsWith("(XEN) Dom0 has maximum") || l.contains("JGRUB-INITRAMFS-MARKER"))
                .toList();
    }

    @Test
    void xenReceivesFromJgrubWhatItReceivesFromGrub(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Prerequisites.program("grub-mkimage");
        if (!Files.isRegularFile(Path.of("/usr/share/ovmf/OVMF.fd"))) {
            Prerequisites.missing("OVMF (/usr/share/ovmf/OVMF.fd, Debian package ovmf)");
        }
        Path disk = TestDisks.make(dir, "mb2");
        Path tool = Prerequisites.repositoryRoot().resolve("scripts/grub-reference-boot");
        Path grubLog = dir.resolve("grub.log");
        Process grub = new ProcessBuilder("bash", tool.toString(), disk.toString(), grubLog.toString(), marker, "300")
                .redirectErrorStream(true).redirectOutput(dir.resolve("grub.out").toFile()).start();
        assertTrue(grub.waitFor(330, TimeUnit.SECONDS), "GRUB's boot ended");
        String grubConsole = Files.readString(grubLog, java.nio.charset.StandardCharsets.ISO_8859_1);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"boot", disk.toString(), "--platform", "efi", "--until", marker,
            "--timeout", "240"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());

        List<String> fromGrub = received(grubConsole);
        List<String> fromJgrub = received(out.toString());
        assertTrue(fromGrub.size() >= 3, "GRUB's boot reached dom0: " + fromGrub);
        assertEquals(fromGrub, fromJgrub);
        assertTrue(grubConsole.contains("(XEN) Bootloader: GRUB 2"), "the reference is really GRUB 2");
        assertTrue(out.toString().contains("(XEN) Bootloader: jgrub "), "and the other really jgrub");
    }
}
