package jgrub.cli;

import java.io.IOException;
import java.nio.file.Path;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.Evaluation;
import jgrub.fat.write.EspBuilder;
import jgrub.fs.Disk;
import jgrub.grub.GrubConfig;

/** Test disks made by esp-fs's builder, opened as the commands open them. */
public final class TestDisks {

    private TestDisks() {
    }

    /** A disk and the config input read from it; close it when done. */
    public record Opened(Disk image, GrubConfig input) implements AutoCloseable {
        /** The config from the disk, evaluated with the disk. */
        public Evaluation evaluate() {
            return ConfigEvaluator.evaluate(input.name(), input.text(), input.options());
        }

        public DiskView disk() {
            return input.options().disk();
        }

        @Override
        public void close() throws IOException {
            image.close();
        }
    }

    /** A 16 MiB GPT disk (ESP label JGRUB, serial 1234-ABCD) holding {@code tree} at its root, opened as --disk. */
    public static Opened open(Path tree, Path image) throws IOException {
        new EspBuilder(16 << 20).label("JGRUB").serial(0x1234ABCDL).add(tree, "/").write(image, false);
        Disk disk = Disk.open(image);
        return new Opened(disk, GrubConfig.onDisk(disk, null, jgrub.boot.Platform.EFI));
    }
}
