package jgrub.config.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Boot commands for dry runs and checks: records every command and keeps GRUB's loader state, answering as GRUB does
 * when the order is wrong ({@code module2} with no Multiboot2 kernel loaded: "you need to load the kernel first"; a new
 * kernel command replaces the loaded one) and, when the disk is known, when a file does not exist. {@code boot} is
 * recorded and succeeds when something is loaded; nothing is really loaded or started.
 */
public class RecordingBootCommands implements BootCommands {

    /** Which loader a kernel command sets up; modules and initrds belong to one of them. */
    public enum Loader { MULTIBOOT, MULTIBOOT2, LINUX, LINUX16, CHAINLOADER, OTHER }

    private final DiskView disk;
    private final List<BootCommand> commands = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();
    private Loader loaded;
    private Loader kernelTried;
    private boolean booted;

    /** Records without looking at files. */
    public RecordingBootCommands() {
        this(DiskView.NONE);
    }

    /** Records and, when {@code disk} is present, fails like GRUB for a file that does not exist on it. */
    public RecordingBootCommands(DiskView disk) {
        this.disk = disk;
    }

    /** One command with what it returned and which loader was loaded before it ran. */
    /**
     * One command's outcome.
     *
     * @param loadedBefore the loader that had a kernel loaded when the command ran
     * @param kernelTried  the loader, when the command was one that loads a kernel (and so unloads the last one)
     */
    public record Result(BootCommand command, Status status, Optional<Loader> loadedBefore,
            Optional<Loader> kernelTried) {
    }

    /** Every command with its outcome, in order. */
    public List<Result> results() {
        return List.copyOf(results);
    }

    /** Every command sent, in order, failed ones included. */
    public List<BootCommand> commands() {
        return List.copyOf(commands);
    }

    /** The loader a successful kernel command set up, if any. */
    public Optional<Loader> loader() {
        return Optional.ofNullable(loaded);
    }

    /** Whether {@code boot} ran with something loaded. */
    public boolean booted() {
        return booted;
    }

    @Override
    public boolean loaded() {
        return loaded != null;
    }

    @Override
    public Status execute(BootCommand command) {
        commands.add(command);
        Optional<Loader> before = Optional.ofNullable(loaded);
        kernelTried = null;
        Status status = run(command);
        results.add(new Result(command, status, before, Optional.ofNullable(kernelTried)));
        return status;
    }

    private Status run(BootCommand command) {
        String name = command.name();
        switch (name) {
            case "fwsetup":
                return Status.OK;
            case "boot":
                if (loaded == null) {
                    return Status.error(GrubError.NO_KERNEL, "you need to load the kernel first");
                }
                booted = true;
                return Status.OK;
            case "multiboot":
                return kernel(command, Loader.MULTIBOOT);
            case "multiboot2":
                return kernel(command, Loader.MULTIBOOT2);
            case "linux", "linuxefi":
                return kernel(command, Loader.LINUX);
            case "linux16":
                return kernel(command, Loader.LINUX16);
            case "chainloader":
                return kernel(command, Loader.CHAINLOADER);
            case "module":
                return module(command, Loader.MULTIBOOT);
            case "module2":
                return module(command, Loader.MULTIBOOT2);
            case "initrd", "initrdefi":
                return module(command, Loader.LINUX);
            case "initrd16":
                return module(command, Loader.LINUX16);
            default:
                return kernel(command, Loader.OTHER);
        }
    }

    private Status kernel(BootCommand command, Loader kind) {
        // GRUB unloads whatever was loaded before it tries the new kernel, so a failure leaves nothing loaded.
        loaded = null;
        kernelTried = kind;
        Status file = checkFile(command);
        if (!file.ok()) {
            return file;
        }
        Status image = checkImage(command, kind);
        if (!image.ok()) {
            return image;
        }
        loaded = kind;
        return Status.OK;
    }

    private Status module(BootCommand command, Loader kind) {
        if (loaded != kind) {
            return Status.error(GrubError.BAD_ARGUMENT, "you need to load the kernel first");
        }
        if (kind != Loader.LINUX && kind != Loader.LINUX16) {
            return checkFile(command);
        }
        // initrd takes every word as a file (GRUB concatenates them), each of which must exist.
        if (command.args().isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "filename expected");
        }
        for (GrubPath file : command.files()) {
            Status status = checkFile(file);
            if (!status.ok()) {
                return status;
            }
        }
        return Status.OK;
    }

    /**
     * Checks that a kernel file is an image of the kind the command loads; the default accepts anything. Loaders
     * override it (a Multiboot2 header for {@code multiboot2}, a PE32+ image for {@code chainloader}).
     */
    protected Status checkImage(BootCommand command, Loader kind) {
        return Status.OK;
    }

    /** The disk this recorder checks files on. */
    protected DiskView disk() {
        return disk;
    }

    private Status checkFile(BootCommand command) {
        String file = command.file();
        if (file == null) {
            return Status.error(GrubError.BAD_ARGUMENT, "filename expected");
        }
        return checkFile(command.resolvedFile());
    }

    private Status checkFile(GrubPath path) {
        if (!disk.readable(path.device())) {
            return Status.OK;
        }
        try {
            Optional<DiskView.FileInfo> info = disk.stat(path.device(), path.path());
            if (info.isEmpty() || info.get().directory()) {
                return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path.path() + "' not found");
            }
        } catch (IOException e) {
            return Status.error(GrubError.READ_ERROR, "cannot read " + path + ": " + e.getMessage());
        }
        return Status.OK;
    }
}
