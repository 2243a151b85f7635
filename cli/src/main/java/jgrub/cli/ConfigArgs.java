package jgrub.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.boot.Platform;
import jgrub.fs.Disk;
import jgrub.grub.GrubConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The arguments {@code check} and {@code menu} share: the config, the disk and the platform. */
final class ConfigArgs {

    @Option(names = "--disk", paramLabel = "IMAGE", description = "The disk image the config boots from.")
    Path disk;

    @Option(names = "--platform", paramLabel = "efi|pc", defaultValue = "efi", converter = Platforms.Converter.class,
            description = "GRUB build to evaluate for (default: ${DEFAULT-VALUE}); check --boot also takes both.")
    Platforms platforms;

    @Parameters(arity = "0..1", paramLabel = "CONFIG",
            description = "The grub.cfg (default: the one found on the disk).")
    Path config;

    @Spec(Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * The config these arguments name: a host file, alone or checked against {@code --disk}; a file on the disk named
     * GRUB-style ({@code (hd0,gpt1)/EFI/debian/grub.cfg}); or, with only {@code --disk}, the one GRUB finds there. The
     * disk stays open for the run: the evaluator reads its files as it goes.
     */
    GrubConfig load() throws IOException {
        if (platforms.each().size() != 1) {
            throw new ParameterException(spec.commandLine(), "--platform both: only with check --boot");
        }
        return load(platforms.each().get(0));
    }

    /** The config as {@link #load()} finds it, evaluated for {@code platform}. */
    GrubConfig load(Platform platform) throws IOException {
        if (disk == null) {
            if (config == null) {
                throw new ParameterException(spec.commandLine(), "give a CONFIG file or --disk IMAGE");
            }
            return GrubConfig.fromHost(config, platform);
        }
        if (config != null && Files.isDirectory(config)) {
            throw new IOException(config + ": a directory, not a config file");
        }
        Disk image = Disk.open(disk);
        if (config != null && !config.toString().startsWith("(")) {
            return GrubConfig.fromHost(config, image, platform);
        }
        return GrubConfig.onDisk(image, config == null ? null : config.toString(), platform);
    }
}
