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
}
