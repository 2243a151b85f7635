package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jgrub.testing.Prerequisites;

/** Test disks made by scripts/make-test-disk with the real tools (sfdisk, mkfs.fat, mtools). */
final class TestDisks {

    private TestDisks() {
    }

    static Path make(Path dir, String kind) throws Exception {
        return make(dir, kind, "");
    }

    /** A disk whose dom0 command line gets {@code dom0Args} too ({@code jgrub.shell}: a shell after the marker). */
    static Path make(Path dir, String kind, String dom0Args) throws Exception {
        Prerequisites.program("mcopy");
        Prerequisites.program("sfdisk");
        Path disk = dir.resolve(kind + ".img");
        ProcessBuilder builder = new ProcessBuilder(Prerequisites.repositoryRoot().resolve("scripts/make-test-disk")
                .toString(), disk.toString(), kind).redirectErrorStream(true);
        builder.environment().put("JGRUB_MENU_TIMEOUT", "0");
        builder.environment().put("JGRUB_DOM0_ARGS", dom0Args);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        return disk;
    }

    /** GRUB for x86_64-efi made by grub-mkstandalone with {@code cfg} as its embedded grub.cfg, in {@code dir}. */
    static Path grubStandalone(Path dir, String cfg) throws Exception {
        Path mkstandalone = Prerequisites.program("grub-mkstandalone");
        Path inner = dir.resolve("inner.cfg");
        java.nio.file.Files.writeString(inner, cfg);
        Path grub = dir.resolve("grubx64.efi");
        Process p = new ProcessBuilder(mkstandalone.toString(), "-O", "x86_64-efi", "-o", grub.toString(),
                "boot/grub/grub.cfg=" + inner).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return grub;
    }
}
