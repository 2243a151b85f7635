package jgrub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import jgrub.boot.Platform;
import jgrub.cli.boot.LoaderCommands;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.efi.EfiBoot;
import jgrub.fs.Disk;

/**
 * What {@code boot} and {@code plan} do before the machine starts: the disk's config found and evaluated, and the
 * loader commands that an entry's run reads every file and checks every image through. Everything reads the one
 * {@link Disk} the command opened, so each partition's file system is opened once; the EFI protocols the commands
 * build attach that same disk.
 */
record BootPreparation(ConfigInput input, Evaluation evaluation, LoaderCommands commands) {

    /**
     * Evaluates the config on {@code disk} ({@code config} GRUB-style, or null for the one GRUB finds); the notes on
     * the disk (partition table warnings) go to {@code err} first.
     */
    static BootPreparation of(Disk disk, String config, Platform platform, EfiBoot.Options efiOptions,
            PrintWriter err) throws IOException {
        ConfigInput input = ConfigInput.fromDisk(disk, config, platform);
        input.notes().forEach(err::println);
        return new BootPreparation(input, input.evaluate(), new LoaderCommands(disk, platform, efiOptions));
    }

    /** Runs the entry {@code selector} names (index path, title or id; null: the config's default). */
    EntryRun run(String selector) {
        return selector == null ? evaluation.runDefault(commands) : evaluation.run(selector, commands);
    }
}
