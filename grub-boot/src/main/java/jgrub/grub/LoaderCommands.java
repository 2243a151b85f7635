package jgrub.grub;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.boot.Platform;
import jgrub.chainload.ChainloadProtocol;
import jgrub.chainload.EfiChainloader;
import jgrub.compress.Compression;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.BootCommands;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.GrubError;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.Status;
import jgrub.efi.EfiBoot;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.linux.Initrd;
import jgrub.linux.Linux16Kernel;
import jgrub.linux.LinuxEfiKernel;
import jgrub.linux.LinuxKernel;
import jgrub.multiboot.Module;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.multiboot.mb2.Multiboot2Efi;
import jgrub.part.Partition;
import jgrub.pe.PeFormatException;

/**
 * GRUB's loader commands for a real boot: {@code multiboot}/{@code module}, {@code multiboot2}/{@code module2},
 * {@code linux}/{@code initrd} (on pc the 32-bit boot protocol; on efi, with the aliases {@code linuxefi}/{@code
 * initrdefi}, the kernel's EFI stub), {@code linux16}/{@code initrd16} (on pc) and {@code chainloader} read their files
 * from the user's disk and build the boot protocol the machine runs; {@code boot} makes it final. Errors are GRUB's
 * (number and message), so the script sees them in {@code $?} as under GRUB, and the last one is kept for the user.
 */
public final class LoaderCommands implements BootCommands {

    private final Disk disk;
    private final Platform platform;
    private final EfiBoot.Options efiOptions;
    private Multiboot1 multiboot1;
    private Multiboot2 multiboot2;
    private EfiChainloader chainloader;
    private LinuxKernel linux;
    private LinuxEfiKernel linuxEfi;
    private Linux16Kernel linux16;
    private String kernelPath;
    private Partition kernelPartition;
    private BootProtocol booted;
    private String lastError;
    /** Every error the loader commands gave, in order, as "command: message". */
    private final List<String> errors = new ArrayList<>();

    public LoaderCommands(Disk disk, Platform platform, EfiBoot.Options efiOptions) {
        this.disk = disk;
        this.platform = platform;
        this.efiOptions = efiOptions;
    }

    /** What a run of an entry booted through these commands, or why it boots nothing, naming the entry. */
    public BootProtocol bootedBy(EntryRun run) throws BootException {
        String title = run.entry().map(e -> "'" + e.title() + "'").orElse("(none)");
        if (!run.booted() || booted == null) {
            // The first error is the cause; what follows it (a module2 after a refused multiboot2: "you need to load
            // the kernel first") is only its consequence, so it is named after it.
            String why = errors.isEmpty() ? run.notices().stream().map(Object::toString)
                    .reduce((a, b) -> a + "; " + b).orElse("it loads no kernel")
                    : errors.get(0) + (errors.size() == 1 ? "" : "; after it, " + errors.get(errors.size() - 1));
            throw new BootException("menu entry " + title + " does not boot: " + why);
        }
        return booted;
    }

    /** The protocol {@code boot} settled on, if an entry booted. */
    public Optional<BootProtocol> protocol() {
        return Optional.ofNullable(booted);
    }

    /** The last error a loader command gave, in full (GRUB prints the same words). */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public boolean loaded() {
        return multiboot1 != null || multiboot2 != null || chainloader != null || linux != null
                || linuxEfi != null || linux16 != null;
    }

    @Override
    public Status execute(BootCommand command) {
        Status status = run(command);
        if (!status.ok()) {
            errors.add(command.name() + ": " + status.message());
        }
        return status;
    }

    private Status run(BootCommand command) {
        try {
            return switch (command.name()) {
                case "multiboot" -> multiboot(command);
                case "module" -> module(command);
                case "multiboot2" -> multiboot2(command);
                case "module2" -> module(command);
                case "chainloader" -> chainloader(command);
                case "linux", "linuxefi", "linux16" -> linux(command);
                case "initrd", "initrdefi", "initrd16" -> initrd(command);
                case "boot" -> boot();
                default -> fail(GrubError.NOT_IMPLEMENTED_YET, command.name() + ": jgrub boots Multiboot kernels, "
                        + "Linux through linux/initrd and EFI images; it cannot run " + command.name());
            };
        } catch (BootException | PeFormatException e) {
            return fail(GrubError.BAD_OS, e.getMessage());
        } catch (IOException e) {
            return fail(GrubError.FILE_READ_ERROR, command.file() + ": " + e.getMessage());
        }
    }

    private Status fail(GrubError error, String message) {
        lastError = message;
        return Status.error(error, message);
    }

    private void unload() {
        multiboot1 = null;
        multiboot2 = null;
        chainloader = null;
        linux = null;
        linuxEfi = null;
        linux16 = null;
        booted = null;
    }

    private Status multiboot(BootCommand c) throws IOException, BootException {
        unload();
        Set<Multiboot1.Quirk> quirks = EnumSet.noneOf(Multiboot1.Quirk.class);
        if (c.args().contains("--quirk-bad-kludge")) {
            quirks.add(Multiboot1.Quirk.BAD_KLUDGE);
        }
        if (c.args().contains("--quirk-modules-after-kernel")) {
            quirks.add(Multiboot1.Quirk.MODULES_AFTER_KERNEL);
        }
        Optional<byte[]> file = read(c);
        if (file.isEmpty()) {
            return fileError(c);
        }
        multiboot1 = Multiboot1.load(c.resolvedFile().path(), file.get(), c.commandLine(), quirks);
        return Status.OK;
    }

    private Status multiboot2(BootCommand c) throws IOException, BootException {
        unload();
        Optional<byte[]> file = read(c);
        if (file.isEmpty()) {
            return fileError(c);
        }
        multiboot2 = Multiboot2.load(c.resolvedFile().path(), file.get(), c.commandLine(), platform);
        return Status.OK;
    }

    /** {@code module} after {@code multiboot}, {@code module2} after {@code multiboot2}: one more module, last. */
    private Status module(BootCommand c) throws IOException, BootException {
        boolean two = c.name().equals("module2");
        if (two ? multiboot2 == null : multiboot1 == null) {
            return fail(GrubError.BAD_ARGUMENT, "you need to load the kernel first");
        }
        Optional<Module> module = loadModule(c);
        if (module.isEmpty()) {
            return fileError(c);
        }
        if (two) {
            multiboot2 = multiboot2.withModule(module.get());
        } else {
            multiboot1 = multiboot1.withModule(module.get());
        }
        return Status.OK;
    }

    /**
     * A module as GRUB's {@code module}/{@code module2} loads it. One GRUB's file filters would unpack (gzip or xz,
     * unless {@code --nounzip}) is unpacked here; any other is read from the disk only when the machine writes it
     * into guest memory, so that a 36 MiB initrd never sits in jgrub's heap.
     */
    private Optional<Module> loadModule(BootCommand c) throws IOException, BootException {
        GrubPath path = c.resolvedFile();
        Optional<FileContents> file = path == null ? Optional.empty() : contents(path);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        boolean nounzip = c.args().contains("--nounzip");
        if (nounzip || Compression.detect(file.get().head(Compression.MAGIC_BYTES)) == Compression.NONE) {
            return Optional.of(new Module(path.path(), file.get(), c.commandLine()));
        }
        return Optional.of(Module.of(path.path(), file.get().readAll(), false, c.commandLine()));
    }

    private Status chainloader(BootCommand c) throws IOException, PeFormatException {
        unload();
        if (platform != Platform.EFI) {
            return fail(GrubError.NOT_IMPLEMENTED_YET, "chainloader: jgrub chainloads EFI images, on --platform efi");
        }
        Optional<byte[]> file = read(c);
        if (file.isEmpty()) {
            return fileError(c);
        }
        chainloader = EfiChainloader.of(file.get(), c.resolvedFile().path(), c.commandLine());
        return Status.OK;
    }

    /**
     * {@code linux PATH ARGS...}: on pc a bzImage through the 32-bit boot protocol, as GRUB's i386-pc build loads it;
     * on efi ({@code linuxefi} too) the kernel's EFI stub, as GRUB 2.12's EFI build starts it. {@code linux16 PATH
     * ARGS...}: the kernel's real-mode setup code entered in real mode, on pc.
     */
    private Status linux(BootCommand c) throws IOException, BootException {
        unload();
        boolean sixteen = c.name().equals("linux16");
        if (sixteen && platform != Platform.PC) {
            return fail(GrubError.NOT_IMPLEMENTED_YET, "linux16: a BIOS command; jgrub runs it on --platform pc");
        }
        if (c.name().equals("linuxefi") && platform != Platform.EFI) {
            return fail(GrubError.NOT_IMPLEMENTED_YET, "linuxefi: an EFI command; jgrub runs it on --platform efi");
        }
        Optional<byte[]> file = read(c);
        if (file.isEmpty()) {
            return fileError(c);
        }
        if (sixteen) {
            linux16 = Linux16Kernel.load(c.file(), file.get(), c.commandLine());
        } else if (platform == Platform.EFI) {
            linuxEfi = LinuxEfiKernel.load(c.file(), file.get(), c.commandLine());
        } else {
            linux = LinuxKernel.load(c.file(), file.get(), c.commandLine());
        }
        return Status.OK;
    }

    /**
     * {@code initrd FILE...} after {@code linux}, {@code initrd16 FILE...} after {@code linux16}: every word a file,
     * concatenated as GRUB does; a second one replaces the first.
     */
    private Status initrd(BootCommand c) throws IOException, BootException {
        if (c.args().isEmpty()) {
            return fail(GrubError.BAD_ARGUMENT, "filename expected");
        }
        boolean sixteen = c.name().equals("initrd16");
        if (sixteen ? linux16 == null : linux == null && linuxEfi == null) {
            return fail(GrubError.BAD_ARGUMENT, "you need to load the kernel first");
        }
        List<Initrd.File> files = new ArrayList<>();
        for (String arg : c.args()) {
            if (arg.startsWith("newc:")) {
                return fail(GrubError.NOT_IMPLEMENTED_YET, "initrd: " + arg + ": jgrub does not build newc archives "
                        + "from files yet");
            }
            GrubPath path = GrubPath.resolve(arg, c.root());
            Optional<FileContents> file = contents(path);
            if (file.isEmpty()) {
                return fail(GrubError.FILE_NOT_FOUND, "file `" + path.path() + "' not found");
            }
            files.add(new Initrd.File(path.path(), file.get()));
        }
        if (sixteen) {
            linux16 = linux16.withInitrd(new Initrd(files));
        } else if (linuxEfi != null) {
            linuxEfi = linuxEfi.withInitrd(new Initrd(files));
        } else {
            linux = linux.withInitrd(new Initrd(files));
        }
        return Status.OK;
    }

    private Status boot() {
        if (linux != null) {
            booted = linux;
        } else if (linuxEfi != null) {
            booted = linuxEfi.protocol(disk, kernelPartition, efiOptions);
        } else if (linux16 != null) {
            booted = linux16;
        } else if (multiboot2 != null) {
            booted = platform == Platform.EFI
                    ? new Multiboot2Efi(multiboot2, kernelPath, disk, kernelPartition, efiOptions) : multiboot2;
        } else if (multiboot1 != null) {
            booted = multiboot1;
        } else if (chainloader != null) {
            booted = new ChainloadProtocol(chainloader, disk, kernelPartition, efiOptions);
        } else {
            return fail(GrubError.NO_KERNEL, "you need to load the kernel first");
        }
        return Status.OK;
    }

    private Status fileError(BootCommand c) {
        return c.file() == null ? fail(GrubError.BAD_ARGUMENT, "filename expected")
                : fail(GrubError.FILE_NOT_FOUND, "file `" + c.resolvedFile().path() + "' not found");
    }

    /**
     * The file a command names, from the partition its device names (the ESP when none), if it exists; a kernel's
     * path and partition are kept for the EFI loaders.
     */
    private Optional<byte[]> read(BootCommand c) throws IOException {
        GrubPath path = c.resolvedFile();
        if (path == null) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = read(path);
        if (bytes.isPresent() && !c.name().startsWith("module")) {
            kernelPath = path.path();
            kernelPartition = partitionOf(path);
        }
        return bytes;
    }

    private Partition partitionOf(GrubPath path) throws IOException {
        return disk.partition(path.device().isEmpty() ? null : path.device());
    }

    private Optional<byte[]> read(GrubPath path) throws IOException {
        Optional<FileContents> file = contents(path);
        return file.isEmpty() ? Optional.empty() : Optional.of(file.get().readAll());
    }

    /** The file a path names, if it exists, to be read when its bytes are needed. */
    private Optional<FileContents> contents(GrubPath path) throws IOException {
        // The device is GRUB's name as $root holds it (hd0,gpt1), which the partition table takes as it is.
        FileSystem fs = disk.fileSystem(partitionOf(path));
        Optional<? extends FileEntry> file = fs.find(path.path());
        if (file.isEmpty() || file.get().isDirectory()) {
            return Optional.empty();
        }
        if (file.get().size() > Integer.MAX_VALUE - 8) {
            throw new IOException("larger than 2 GiB, which jgrub does not load");
        }
        return Optional.of(new FileContents(fs, file.get(), path.toString()));
    }
}
