package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.fat.write.EspBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrub plan}: what it says when there is nothing to plan. */
class PlanCommandTest {

    @TempDir
    Path dir;

    /** A config stopped by the evaluator's budget leaves no menu: the limit is the cause named, not the empty menu. */
    @Test
    void aConfigStoppedAtItsBudget_namesTheLimit_notTheMissingEntry() throws IOException {
        Path config = dir.resolve("grub.cfg");
        Files.writeString(config, "while true; do x=1; done\nmenuentry never { multiboot2 /xen.gz }\n");
        Path image = dir.resolve("disk.img");
        new EspBuilder(16 << 20).add(config, "/boot/grub/grub.cfg").write(image, false);
        MainTest.Run run = MainTest.Run.of("plan", image.toString());
        assertEquals(1, run.code(), run.err());
        assertEquals("jgrub: no menu entry to boot: (hd0,gpt1)/boot/grub/grub.cfg:1:16: stopped after 2000000 commands:"
                + " the script does not seem to end (a loop that never finishes?)\n", run.err());
    }
}
