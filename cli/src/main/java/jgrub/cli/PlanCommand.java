package jgrub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import jgrub.cli.plan.PlanCapture;
import jgrub.cli.plan.PlanPicture;
import jgrub.config.eval.EntryRun;
import jgrub.efi.EfiBoot;
import jgrub.fs.Disk;
import jgrub.grub.GrubBoot;
import jgrub.grub.GrubConfig;
import jgrub.grub.LoaderCommands;
import jgrub.machine.Machine;
import jgrub.machine.MachineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jgrub plan IMAGE}: where the boot of an entry would put everything in guest memory. The machine runs only
 * its firmware and jgrub's ROM (for the real memory map), then the plan is shown instead of entered.
 */
@Command(name = "plan", description = {
    "Show where booting an entry would put everything in guest memory: the firmware's memory map, jgrub's own"
        + " ranges, the image's segments, modules and info structures, and the CPU entry state; with --svg also as"
        + " a picture. Starts QEMU only as far as the firmware's memory map; the image never runs."})
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Disk image with grub.cfg on its ESP.")
    Path image;

    @Option(names = "--entry", paramLabel = "SELECTOR",
            description = "Entry to plan: index path (1>0), title or id, as GRUB's default takes them."
                    + " Default: the config's default.")
    String entry;

    @Option(names = "--platform", paramLabel = "efi|pc", defaultValue = "efi", converter = PlatformConverter.class,
            description = "Firmware the boot is for (default: ${DEFAULT-VALUE}).")
    Platform platform;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also draw the map as SVG into FILE.")
    Path svg;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Disk disk = Disk.open(image)) {
            GrubConfig config = GrubConfig.onDisk(disk, null, platform);
            config.notes().forEach(spec.commandLine().getErr()::println);
            GrubBoot boot = GrubBoot.of(config);
            LoaderCommands commands = boot.loaderCommands(EfiBoot.Options.defaults());
            EntryRun run = boot.run(entry, commands);
            String which = run.entry().map(e -> "entry " + e.path() + " `" + e.title() + "'").orElse("no entry");
            PlanCapture capture = new PlanCapture(boot.booted(run, commands));
            MachineOptions options = MachineOptions.defaults().withConsole(null).withTimeout(Duration.ofSeconds(60));
            try {
                new Machine(options).boot(capture);
            } catch (BootException e) {
                if (!capture.isStop(e)) {
                    throw e;
                }
            }
            if (capture.plan().isEmpty()) {
                throw new IOException("the machine ended before its firmware reported a memory map");
            }
            PlanPicture picture = new PlanPicture(capture.firmware().orElseThrow(), capture.plan().get());
            var out = spec.commandLine().getOut();
            out.println(which + " on " + platform.grubPlatform() + ":");
            out.print(picture.table());
            if (svg != null) {
                Files.writeString(svg, picture.svg(), StandardCharsets.UTF_8);
                out.println("map written to " + svg);
            }
        }
        return Main.EXIT_OK;
    }
}
