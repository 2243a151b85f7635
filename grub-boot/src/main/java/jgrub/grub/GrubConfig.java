package jgrub.grub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jgrub.boot.Platform;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Evaluation;
import jgrub.fs.Disk;

/**
 * A grub.cfg as GRUB would load it, and the options to evaluate it with: the file on a disk that GRUB finds (or one
 * named GRUB-style, {@code (hd0,gpt1)/EFI/debian/grub.cfg}), or a host file, alone or checked against a disk.
 * {@code $root} and {@code $prefix} start where the config is, as when GRUB loads it from there. {@code notes} are
 * what the user should hear about the disk first (partition table warnings).
 *
 * @param disk the disk the config boots from, whose files the evaluator and the loaders read; empty for a host
 *     config checked on its own
 */
public record GrubConfig(String name, String text, EvalOptions options, List<String> notes, Optional<Disk> disk) {

    /** Where GRUB images look for their config, in this order, {@code /EFI/*}{@code /grub.cfg} after the first. */
    static final List<String> CONFIG_PATHS = List.of("/EFI/BOOT/grub.cfg", "/boot/grub/grub.cfg", "/grub/grub.cfg");

    public GrubConfig {
        notes = List.copyOf(notes);
    }

    /** Evaluates the config as GRUB would on loading it (menu entries are kept, not run). */
    public Evaluation evaluate() {
        return ConfigEvaluator.evaluate(name, text, options);
    }

    /** A config file from the host, evaluated without a disk: file checks are skipped. */
    public static GrubConfig fromHost(Path config, Platform platform) throws IOException {
        return new GrubConfig(config.toString(), readHost(config),
                EvalOptions.defaults().withPlatform(platform).withDisk(DiskView.NONE), List.of(), Optional.empty());
    }

    /** A config file from the host, checked against {@code disk}: it starts on the disk's first readable partition. */
    public static GrubConfig fromHost(Path config, Disk disk, Platform platform) throws IOException {
        GrubDiskView view = new GrubDiskView(disk);
        String device = view.firstFileSystem().orElse("hd0,gpt1");
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(view)
                .withRoot(device, "(" + device + ")/boot/grub");
        return new GrubConfig(config.toString(), readHost(config), options, diskWarnings(disk), Optional.of(disk));
    }

    /**
     * The config on {@code disk}: {@code config} names it GRUB-style ({@code (hd0,gpt1)/boot/grub/grub.cfg}) or by a
     * path on whichever partition holds it, or, when null, it is the one GRUB finds.
     */
    public static GrubConfig onDisk(Disk disk, String config, Platform platform) throws IOException {
        GrubDiskView view = new GrubDiskView(disk);
        String device;
        String path;
        if (config != null && config.startsWith("(")) {
            int close = config.indexOf(')');
            device = config.substring(1, Math.max(1, close));
            path = config.substring(close + 1);
        } else if (config != null) {
            device = view.find(config).orElseThrow(() -> new NoSuchFileException(disk.name() + ": "
                    + config + " (not on any FAT partition)"));
            path = config;
        } else {
            String[] found = find(view);
            if (found == null) {
                String unread = view.unreadableReasons();
                throw new IOException(disk.name() + ": no grub.cfg found (looked for /EFI/BOOT/grub.cfg, "
                        + "/EFI/*/grub.cfg, /boot/grub/grub.cfg, /grub/grub.cfg on the partitions jgrub reads)"
                        + (unread.isEmpty() ? "" : "; not read: " + unread));
            }
            device = found[0];
            path = found[1];
        }
        String dir = path.substring(0, Math.max(0, path.lastIndexOf('/')));
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(view)
                .withRoot(device, "(" + device + ")" + (dir.isEmpty() ? "/" : dir));
        String text = new String(view.read(device, path), StandardCharsets.ISO_8859_1);
        return new GrubConfig("(" + device + ")" + path, text, options, diskWarnings(disk), Optional.of(disk));
    }

    /**
     * What the partition table reader (a backup GPT used, ...) and the file systems opened so far (a FAT volume larger
     * than its partition, an ext journal needing recovery) warned about, as lines for the user.
     */
    public static List<String> diskWarnings(Disk disk) {
        return disk.warnings().stream().map(warning -> "jgrub: warning: " + warning).toList();
    }

    private static String readHost(Path config) throws IOException {
        if (Files.isDirectory(config)) {
            throw new IOException(config + ": a directory, not a config file");
        }
        return Files.readString(config, StandardCharsets.ISO_8859_1);
    }

    /** {device, path} of the config GRUB finds: the removable path, a vendor directory's, then the others. */
    private static String[] find(GrubDiskView view) throws IOException {
        Optional<String> removable = view.find(CONFIG_PATHS.get(0));
        if (removable.isPresent()) {
            return new String[] {removable.get(), CONFIG_PATHS.get(0)};
        }
        List<String[]> vendor = view.vendorConfigs();
        if (!vendor.isEmpty()) {
            return vendor.get(0);
        }
        for (String path : CONFIG_PATHS.subList(1, CONFIG_PATHS.size())) {
            Optional<String> device = view.find(path);
            if (device.isPresent()) {
                return new String[] {device.get(), path};
            }
        }
        return null;
    }
}
