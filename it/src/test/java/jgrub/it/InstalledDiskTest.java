package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.boot.Platform;
import jgrub.cli.Main;
import jgrub.fs.Disk;
import jgrub.grub.GrubConfig;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A disk made by the real {@code grub-install} for both platforms (scripts/make-installed-disk: GPT with BIOS boot
 * partition, ESP and ext4 root; msdos with the ESP and the root in a logical partition), booted by the real GRUB (on
 * SeaBIOS for pc, on OVMF for efi) and read by jgrub without {@code --config}: the grub.cfg prints
 * {@code $config_file}, {@code $prefix}, {@code $root} and {@code $cmdpath}, and what jgrub's evaluation prints must be
 * what GRUB printed.
 */
class InstalledDiskTest {

    @TempDir
    Path dir;

    static final String ORACLE_CFG = """
            if [ "$grub_platform" = pc ]; then serial --unit=0 --speed=115200; terminal_output serial; fi
            echo "JGRUB-ORACLE config_file=$config_file"
            echo "JGRUB-ORACLE prefix=$prefix"
            echo "JGRUB-ORACLE root=$root"
            echo "JGRUB-ORACLE cmdpath=$cmdpath"
            halt
            """;
    /** One line each, as GRUB's serial terminal wraps long lines at 80 columns. */
    static final Pattern ORACLE = Pattern.compile("JGRUB-ORACLE [a-z_]+=[^\\s\\e]*");
    static final int ORACLE_LINES = 4;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"gpt, efi, '(hd0,gpt3)'", "gpt, pc, '(hd0,gpt3)'", "msdos, efi, '(hd0,msdos5)'",
        "msdos, pc, '(hd0,msdos5)'"})
    void jgrubFindsTheConfigRealGrubLoads(String layout, String platform, String root) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Prerequisites.program("grub-install");
        Prerequisites.program("fusefat");
        Prerequisites.program("losetup");
        if (!"root".equals(System.getProperty("user.name"))) {
            Prerequisites.missing("root (loop devices and mounts for grub-install)");
        }
        if (platform.equals("efi") && !Files.isRegularFile(Path.of("/usr/share/ovmf/OVMF.fd"))) {
            Prerequisites.missing("OVMF (/usr/share/ovmf/OVMF.fd, Debian package ovmf)");
        }
        Path cfg = Files.writeString(dir.resolve("grub.cfg"), ORACLE_CFG);
        Path disk = dir.resolve(layout + ".img");
        Path script = Prerequisites.repositoryRoot().resolve("scripts/make-installed-disk");
        Process make = new ProcessBuilder("bash", script.toString(), disk.toString(), layout, cfg.toString())
                .redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(make.waitFor(120, TimeUnit.SECONDS) && make.exitValue() == 0, "make-installed-disk: " + made);

        List<String> grub = realGrub(disk, platform);
        Platform p = platform.equals("efi") ? Platform.EFI : Platform.PC;
        List<String> jgrub;
        try (Disk opened = Disk.open(disk)) {
            GrubConfig config = GrubConfig.onDisk(opened, null, p);
            assertEquals(root + "/boot/grub/grub.cfg", config.name());
            jgrub = oracleLines(config.evaluate().output());
        }
        assertEquals(grub, jgrub);
        assertTrue(grub.contains("JGRUB-ORACLE prefix=" + root + "/boot/grub"), grub.toString());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"menu", "--disk", disk.toString(), "--platform", platform},
                new PrintWriter(out), new PrintWriter(err)), err.toString());
        assertTrue(err.toString().startsWith("jgrub: config " + root + "/boot/grub/grub.cfg, prefix " + root
                + "/boot/grub from "), err.toString());
    }

    /** The oracle lines the real GRUB prints booting {@code disk} on {@code platform} (the image is not written). */
    static List<String> realGrub(Path disk, String platform) throws IOException, InterruptedException {
        List<String> qemu = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic",
                "-no-reboot", "-snapshot", "-serial", "stdio", "-monitor", "none", "-net", "none"));
        if (platform.equals("efi")) {
            qemu.addAll(List.of("-machine", "q35", "-bios", "/usr/share/ovmf/OVMF.fd", "-drive",
                    "file=" + disk + ",format=raw,if=virtio"));
        } else {
            qemu.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=ide"));
        }
        Process p = new ProcessBuilder(qemu).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), console));
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try {
            while (System.nanoTime() < deadline) {
                String text;
                synchronized (console) {
                    text = console.toString(StandardCharsets.ISO_8859_1);
                }
                List<String> lines = oracleLines(text);
                if (lines.size() == ORACLE_LINES) {
                    return lines;
                }
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
        }
        synchronized (console) {
            throw new AssertionError("the real GRUB printed no oracle lines on " + platform + ": "
                    + console.toString(StandardCharsets.ISO_8859_1));
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ended) {
            // QEMU was stopped.
        }
    }

    private static List<String> oracleLines(String output) {
        List<String> lines = new ArrayList<>();
        for (Matcher m = ORACLE.matcher(output); m.find(); ) {
            lines.add(m.group());
        }
        return lines;
    }
}
