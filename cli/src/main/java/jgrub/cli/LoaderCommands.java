package jgrub.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.chainload.ChainloadProtocol;
import jgrub.chainload.EfiChainloader;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.BootCommands;
import jgrub.config.eval.GrubError;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.Status;
import jgrub.efi.EfiBoot;
import jgrub.esp.EspImage;
import jgrub.multiboot.Module;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.multiboot.mb2.Multiboot2Efi;
import jgrub.pe.PeFormatException;

/**
 * The boot commands of a menu entry, handed to the loaders as GRUB's commands hand them over: {@code multiboot2}/
 * {@code module2} and {@code multiboot}/{@code module} (pc) read their files from the disk and load them, on the efi
 * platform {@code multiboot2} boots through jgrub's EFI environment and {@code chainloader} starts a PE image in it;
 * {@code boot} succeeds once something is loaded. The result is the {@link BootProtocol} the machine boots. Commands
 * this build cannot run fail as GRUB fails an unknown loader, so the entry does not boot.
 */
final class LoaderCommands implements BootCommands {

    private final EspDiskView disk;
    private final boolean efi;
    private Multiboot2 multiboot2;
    private String multiboot2Path;
    private Multiboot1 multiboot1;
    private EfiChainloader chainloaded;
    private final List<String> refusals = new ArrayList<>();

    LoaderCommands(EspDiskView disk, boolean efi) {
        this.disk = disk;
        this.efi = efi;
    }

    @Override
    public Status execute(BootCommand command) {
        try {
            return switch (command.name()) {
                case "multiboot2" -> {
                    unload();
                    // On efi the addresses of the EFI environment are not known yet: Multiboot2Efi fills them in.
                    multiboot2 = Multiboot2.load(command.file(), read(command), command.commandLine(),
                            efi ? new Multiboot2.Platform.Efi(0, 0, 0) : new Multiboot2.Platform.Bios());
                    multiboot2Path = command.file();
                    yield Status.OK;
                }
                case "chainloader" -> {
                    if (!efi) {
                        yield refuse(GrubError.NOT_IMPLEMENTED_YET, command, "chainloader needs --platform efi");
                    }
                    unload();
                    chainloaded = EfiChainloader.of(read(command), command.file(), command.commandLine());
                    yield Status.OK;
                }
                case "module2" -> {
                    if (multiboot2 == null) {
                        yield refuse(GrubError.BAD_ARGUMENT, command, "you need to load the kernel first");
                    }
                    multiboot2 = multiboot2.withModule(module(command));
                    yield Status.OK;
                }
                case "multiboot" -> {
                    if (efi) {
                        yield refuse(GrubError.NOT_IMPLEMENTED_YET, command, "multiboot needs --platform pc");
                    }
                    unload();
                    multiboot1 = Multiboot1.load(command.file(), read(command), command.commandLine(), quirks(command));
                    yield Status.OK;
                }
                case "module" -> {
                    if (multiboot1 == null) {
                        yield refuse(GrubError.BAD_ARGUMENT, command, "you need to load the kernel first");
                    }
                    multiboot1 = multiboot1.withModule(module(command));
                    yield Status.OK;
                }
                case "boot" -> loaded() ? Status.OK
                        : refuse(GrubError.NO_KERNEL, command, "you need to load the kernel first");
                default -> refuse(GrubError.NOT_IMPLEMENTED_YET, command,
                        "jgrub cannot run '" + command.name() + "' on the " + (efi ? "efi" : "pc") + " platform");
            };
        } catch (BootException | PeFormatException e) {
            return refuse(GrubError.BAD_OS, command, e.getMessage());
        } catch (IOException e) {
            return refuse(GrubError.FILE_NOT_FOUND, command, Failures.describe(e));
        }
    }

    private Status refuse(GrubError error, BootCommand command, String message) {
        refusals.add(command.position() + ": " + command.name() + ": " + message);
        return Status.error(error, message);
    }

    private byte[] read(BootCommand command) throws IOException {
        GrubPath file = command.resolvedFile();
        if (file == null) {
            throw new IOException("filename expected");
        }
        return disk.read(file.device(), file.path());
    }

    private Module module(BootCommand command) throws IOException, BootException {
        return Module.of(command.file(), read(command), command.args().contains("--nounzip"), command.commandLine());
    }

    private static Set<Multiboot1.Quirk> quirks(BootCommand command) {
        Set<Multiboot1.Quirk> quirks = EnumSet.noneOf(Multiboot1.Quirk.class);
        if (command.args().contains("--quirk-bad-kludge")) {
            quirks.add(Multiboot1.Quirk.BAD_KLUDGE);
        }
        if (command.args().contains("--quirk-modules-after-kernel")) {
            quirks.add(Multiboot1.Quirk.MODULES_AFTER_KERNEL);
        }
        return quirks;
    }

    private void unload() {
        multiboot1 = null;
        multiboot2 = null;
        chainloaded = null;
    }

    @Override
    public boolean loaded() {
        return multiboot2 != null || multiboot1 != null || chainloaded != null;
    }

    /** What the entry loaded, ready for the machine; on efi the environment serves files from the disk's ESP. */
    Optional<BootProtocol> protocol() throws IOException {
        if (!efi) {
            return Optional.ofNullable(multiboot2 != null ? multiboot2 : multiboot1);
        }
        EspImage image = disk.disk();
        if (multiboot2 != null) {
            return Optional.of(new Multiboot2Efi(multiboot2, multiboot2Path, image, image.partition(null),
                    EfiBoot.Options.defaults()));
        }
        if (chainloaded != null) {
            return Optional.of(new ChainloadProtocol(chainloaded, image, image.partition(null),
                    EfiBoot.Options.defaults()));
        }
        return Optional.empty();
    }

    /** Why commands failed, in order ("file:line:column: command: message"). */
    List<String> refusals() {
        return List.copyOf(refusals);
    }
}
