package jgrub.grub;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import jgrub.chainload.EfiChainloader;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.GrubError;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.eval.Status;
import jgrub.linux.Linux16Kernel;
import jgrub.linux.LinuxEfiKernel;
import jgrub.linux.LinuxKernel;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.pe.PeFormatException;

/**
 * A dry run that also checks each kernel file with the loader that would load it: {@code multiboot2} needs a valid
 * Multiboot2 image, {@code multiboot} a Multiboot1 one, {@code linux} a bzImage GRUB's {@code linux} accepts
 * ({@code linux16} a zImage or bzImage; on efi, {@code linux} a bzImage with an EFI stub),
 * {@code chainloader} a PE32+ EFI image. Nothing is placed or
 * started; a verdict per file is kept, as many entries load the same Xen.
 */
final class ImageCheckingCommands extends RecordingBootCommands {

    private final Platform platform;
    private final Map<String, Status> verdicts;

    ImageCheckingCommands(DiskView disk, Platform platform, Map<String, Status> verdicts) {
        super(disk);
        this.platform = platform;
        this.verdicts = verdicts;
    }

    /** A fresh recorder per entry sharing one verdict cache. */
    static Supplier<RecordingBootCommands> factory(DiskView disk, Platform platform) {
        Map<String, Status> verdicts = new HashMap<>();
        return () -> new ImageCheckingCommands(disk, platform, verdicts);
    }

    @Override
    protected Status checkImage(BootCommand command, Loader kind) {
        if (kind == Loader.OTHER) {
            return Status.OK;
        }
        GrubPath path = command.resolvedFile();
        if (!disk().readable(path.device())) {
            return Status.OK;
        }
        return verdicts.computeIfAbsent(kind + " " + path, k -> verdict(path, kind));
    }

    private Status verdict(GrubPath path, Loader kind) {
        byte[] file;
        try {
            file = disk().read(path.device(), path.path());
        } catch (IOException e) {
            return Status.error(GrubError.FILE_READ_ERROR, path + ": " + e.getMessage());
        }
        try {
            switch (kind) {
                case MULTIBOOT2 -> Multiboot2.load(path.path(), file, List.of(), platform);
                case MULTIBOOT -> Multiboot1.load(path.path(), file, List.of(), EnumSet.noneOf(Multiboot1.Quirk.class));
                case LINUX -> {
                    if (platform == Platform.EFI) {
                        LinuxEfiKernel.load(path.path(), file, List.of());
                    } else {
                        LinuxKernel.load(path.path(), file, List.of());
                    }
                }
                // linux16 takes old zImages too, which linux refuses.
                case LINUX16 -> Linux16Kernel.load(path.path(), file, List.of());
                default -> EfiChainloader.of(file, path.path(), List.of());
            }
            return Status.OK;
        } catch (BootException | PeFormatException | RuntimeException e) {
            String what = switch (kind) {
                case MULTIBOOT2 -> "a Multiboot2 kernel";
                case MULTIBOOT -> "a Multiboot kernel";
                case LINUX, LINUX16 -> "a Linux kernel";
                default -> "an EFI image";
            };
            return Status.error(GrubError.BAD_OS, path.path() + " is not " + what + " jgrub can load: " + e.getMessage());
        }
    }
}
