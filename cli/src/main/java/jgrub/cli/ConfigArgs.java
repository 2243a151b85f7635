package jgrub.cli;

import java.io.IOException;
import java.nio.file.Path;
import jgrub.boot.Platform;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The arguments {@code check} and {@code menu} share: the config, the disk and the platform. */
final class ConfigArgs {

    @Option(names = "--disk", paramLabel = "IMAGE", description = "The disk image the config boots from.")
    Path disk;

    @Option(names = "--platform", paramLabel = "efi|pc", defaultValue = "efi", converter = PlatformConverter.class,
            description = "GRUB build to evaluate for (default: ${DEFAULT-VALUE}).")
    Platform platform;

    @Parameters(arity = "0..1", paramLabel = "CONFIG",
            description = "The grub.cfg (default: the one found on the disk).")
    Path config;

    @Spec(Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    ConfigInput load() throws IOException {
        return ConfigInput.load(spec.commandLine(), config, disk, platform);
    }
}
