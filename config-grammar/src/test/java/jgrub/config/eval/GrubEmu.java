package jgrub.config.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real GRUB (Debian's grub-emu 2.06) on a memdisk holding /boot/grub/grub.cfg and other files, as the README of
 * src/test/resources/grub-script/README.md describes: no display (stdin from /dev/null), bounded by a timeout.
 */
final class GrubEmu {

    private GrubEmu() {
    }

    /** Everything grub-emu printed, carriage returns removed; {@code files} are paths under /boot/grub. */
    static String run(Path grubEmu, Path work, Map<String, String> files) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "emu");
        Path grub = Files.createDirectories(dir.resolve("root/boot/grub"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(grub.resolve(file.getKey()), file.getValue());
        }
        Path tar = dir.resolve("root.tar");
        exec(List.of("tar", "cf", tar.toString(), "-C", dir.resolve("root").toString(), "."));
        Path deviceMap = Files.writeString(dir.resolve("device.map"), "(hd0) /dev/null\n");
        return exec(List.of(grubEmu.toString(), "-m", deviceMap.toString(), "--memdisk", tar.toString(), "-r",
                "memdisk", "-d", "/boot/grub")).replace("\r", "");
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out;
        try (var stream = process.getInputStream()) {
            out = stream.readAllBytes();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
