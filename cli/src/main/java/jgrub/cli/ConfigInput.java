package jgrub.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Platform;

/**
 * The config a {@code check}, {@code menu} or {@code boot} run reads, and the options to evaluate it with. A config on
 * the host is read from there; without one, the config is found on the disk's ESP where GRUB's EFI build looks
 * ({@link #CONFIG_PATHS}). With a disk, {@code $root} is the ESP and the evaluator reads files from the image; close
 * the input when done with the evaluation.
 */
record ConfigInput(String name, String text, EvalOptions options, List<String> notes, EspDiskView disk)
        implements Closeable {

    /** Where a config is looked for on the ESP, in order: removable-media path, Debian's, then GRUB's default. */
    static final List<String> CONFIG_PATHS = List.of("/EFI/BOOT/grub.cfg", "/EFI/debian/grub.cfg",
            "/boot/grub/grub.cfg", "/grub/grub.cfg");

    static ConfigInput load(picocli.CommandLine cli, Path config, Path disk, String platformName)
            throws IOException {
        Platform platform = Platform.byName(platformName);
        if (platform == null) {
            throw new picocli.CommandLine.ParameterException(cli,
                    "--platform must be efi or pc, not '" + platformName + "'");
        }
        if (config == null && disk == null) {
            throw new picocli.CommandLine.ParameterException(cli, "give a CONFIG file or --disk IMAGE");
        }
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(DiskView.NONE);
        if (disk == null) {
            String text = Files.readString(config, StandardCharsets.ISO_8859_1);
            return new ConfigInput(config.toString(), text, options, List.of(), null);
        }
        if (!Files.isRegularFile(disk)) {
            throw new NoSuchFileException(disk.toString());
        }
        EspDiskView view = EspDiskView.open(disk);
        try {
            String esp = view.espName();
            List<String> notes = new ArrayList<>();
            if (config != null) {
                String text = Files.readString(config, StandardCharsets.ISO_8859_1);
                options = options.withDisk(view).withRoot(esp, "(" + esp + ")/boot/grub");
                return new ConfigInput(config.toString(), text, options, notes, view);
            }
            for (String path : CONFIG_PATHS) {
                if (view.stat(esp, path).filter(f -> !f.directory()).isPresent()) {
                    String text = new String(view.read(esp, path), StandardCharsets.ISO_8859_1);
                    String dir = path.substring(0, path.lastIndexOf('/'));
                    options = options.withDisk(view).withRoot(esp, "(" + esp + ")" + dir);
                    return new ConfigInput("(" + esp + ")" + path, text, options, notes, view);
                }
            }
            throw new NoSuchFileException(disk + ": no grub.cfg on the ESP (" + esp + "); looked for "
                    + String.join(", ", CONFIG_PATHS));
        } catch (IOException | RuntimeException e) {
            view.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (disk != null) {
            disk.close();
        }
    }
}
