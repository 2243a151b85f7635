package jgrub.grub;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Submenu;

/**
 * What exactly each entry of a menu would boot: every entry run as choosing it runs it, its boot commands recorded in
 * order after expansion, and each file they name resolved to a device and path and, on a disk, its size and SHA-256.
 * Nothing is loaded or booted. The machine-readable answer of {@code menu --json}.
 */
public record ResolvedMenu(Menu menu, List<Item> items) {

    public ResolvedMenu {
        items = List.copyOf(items);
    }

    /** A menu line: an entry with what it boots, or a submenu with its own items. */
    public sealed interface Item permits Entry, SubmenuItem {
        MenuItem item();
    }

    /**
     * An entry and the boot commands it runs.
     *
     * @param boots whether the run ends in a {@code boot} with something loaded, as GRUB would boot it
     */
    public record Entry(MenuEntry item, boolean boots, List<Command> commands) implements Item {
        public Entry {
            commands = List.copyOf(commands);
        }
    }

    /** A submenu and the items its body produced. */
    public record SubmenuItem(Submenu item, List<Item> items) implements Item {
        public SubmenuItem {
            items = List.copyOf(items);
        }
    }

    /**
     * One boot command as GRUB would run it.
     *
     * @param args the words GRUB passes, after expansion, file first
     * @param error GRUB's message when the command failed
     */
    public record Command(String name, List<String> args, List<FileRef> files, Optional<String> error) {
        public Command {
            args = List.copyOf(args);
            files = List.copyOf(files);
        }
    }

    /**
     * A file a command names, on the device {@code $root} or its {@code (device)} prefix gives.
     *
     * @param size its length, with a disk whose file system jgrub reads; empty without one or when it is missing
     * @param sha256 its SHA-256 in lower-case hex, likewise
     */
    public record FileRef(String device, String path, Optional<Long> size, Optional<String> sha256) {
    }

    /** Runs every entry of {@code evaluation}'s menu, reading files through {@code disk} when there is one. */
    static ResolvedMenu of(Evaluation evaluation, DiskView disk) throws IOException {
        return new ResolvedMenu(evaluation.menu(), items(evaluation, evaluation.menu(), disk));
    }

    private static List<Item> items(Evaluation evaluation, Menu menu, DiskView disk) throws IOException {
        List<Item> out = new ArrayList<>();
        for (MenuItem item : menu.items()) {
            if (item instanceof Submenu submenu) {
                out.add(new SubmenuItem(submenu, items(evaluation, submenu.menu(), disk)));
            } else if (item instanceof MenuEntry entry) {
                RecordingBootCommands recorder = new RecordingBootCommands(disk);
                EntryRun run = evaluation.run(entry, recorder);
                List<Command> commands = new ArrayList<>();
                for (RecordingBootCommands.Result result : recorder.results()) {
                    commands.add(command(result, disk));
                }
                out.add(new Entry(entry, run.booted(), commands));
            }
        }
        return out;
    }

    private static Command command(RecordingBootCommands.Result result, DiskView disk) throws IOException {
        BootCommand c = result.command();
        List<FileRef> files = new ArrayList<>();
        for (GrubPath path : c.files()) {
            files.add(file(path, disk));
        }
        Optional<String> error = result.status().ok() ? Optional.empty() : Optional.of(result.status().message());
        return new Command(c.name(), c.args(), files, error);
    }

    private static FileRef file(GrubPath path, DiskView disk) throws IOException {
        Optional<GrubDiskView.FileDigest> digest = disk instanceof GrubDiskView view
                ? view.digest(path.device(), path.path()) : Optional.empty();
        return new FileRef(path.device(), path.path(), digest.map(GrubDiskView.FileDigest::size),
                digest.map(GrubDiskView.FileDigest::sha256));
    }
}
