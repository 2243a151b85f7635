package jgrub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Platform;

/**
 * The config a {@code check} or {@code menu} run reads, and the options to evaluate it with. A config on the host is
 * read from there; reading configs and files from a disk image needs esp-fs, which this build does not have yet, so a
 * {@code --disk} is only acknowledged and its checks are said to be skipped.
 */
record ConfigInput(String name, String text, EvalOptions options, List<String> notes) {

    static ConfigInput load(picocli.CommandLine cli, Path config, Path disk, String platformName)
            throws IOException {
        Platform platform = Platform.byName(platformName);
        if (platform == null) {
            throw new picocli.CommandLine.ParameterException(cli,
                    "--platform must be efi or pc, not '" + platformName + "'");
        }
        List<String> notes = new ArrayList<>();
        if (disk != null) {
            if (!Files.isRegularFile(disk)) {
                throw new java.nio.file.NoSuchFileException(disk.toString());
            }
            if (config == null) {
                throw new IOException(disk + ": reading grub.cfg from a disk image needs esp-fs, which this build does"
                        + " not have yet; give the config file as CONFIG");
            }
            notes.add("note: --disk " + disk + ": disk images cannot be read by this build yet (esp-fs);"
                    + " disk checks skipped");
        }
        if (config == null) {
            throw new picocli.CommandLine.ParameterException(cli,
                    "give a CONFIG file or --disk IMAGE");
        }
        String text = Files.readString(config, StandardCharsets.ISO_8859_1);
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(DiskView.NONE);
        return new ConfigInput(config.toString(), text, options, notes);
    }
}
