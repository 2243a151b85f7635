package jgrub.grub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.boot.Platform;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.LoadedConfig;
import jgrub.disk.DiskFormatException;
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
     * path on whichever partition holds it, or, when null, it is the one GRUB finds: through GRUB's own core image
     * for the platform when the disk has one (see {@link #throughCoreImage}), else the first of the usual places.
     */
    public static GrubConfig onDisk(Disk disk, String config, Platform platform) throws IOException {
        GrubDiskView view = new GrubDiskView(disk);
        List<String> notes = new ArrayList<>(diskWarnings(disk));
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
            Optional<GrubConfig> booted = throughCoreImage(disk, view, platform, notes);
            if (booted.isPresent()) {
                return booted.get();
            }
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
        return new GrubConfig("(" + device + ")" + path, text, options, notes, Optional.of(disk));
    }

    /**
     * The config GRUB's own core image loads, as GRUB 2.06 gets there ({@code grub-core/kern/main.c},
     * {@code normal/main.c}): {@code $root} and {@code $prefix} from the image's prefix and the device it was started
     * from, then its early config run (grub-install's {@code search.fs_uuid ...; set prefix=...}), then normal mode's
     * {@code $prefix/grub.cfg}; when that file, the early config or a file they source runs {@code configfile}
     * (Debian's ESP stub: {@code search.fs_uuid UUID root; set prefix=($root)'/boot/grub'; configfile
     * $prefix/grub.cfg}), the config is the one whose menu GRUB shows. Empty, with a warning in {@code notes} when
     * something was wrong, when the disk has no core image for the platform or the config it names is not there.
     */
    static Optional<GrubConfig> throughCoreImage(Disk disk, GrubDiskView view, Platform platform, List<String> notes)
            throws IOException {
        Optional<CoreImage> found;
        try {
            found = platform == Platform.EFI ? CoreImage.efi(view) : CoreImage.bios(disk);
        } catch (DiskFormatException e) {
            notes.add("jgrub: warning: " + e.getMessage() + "; looking for grub.cfg in the usual places");
            return Optional.empty();
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CoreImage core = found.get();
        CoreImage.BootLocation start = core.location();
        EvalOptions base = EvalOptions.defaults().withPlatform(platform).withDisk(view)
                .withVariables(Map.of("cmdpath", "(" + core.fwDevice() + ")" + core.fwPath().orElse("")));
        LoadedConfig loaded = null;
        String root = start.root();
        String prefix = start.prefix();
        if (core.area().config().isPresent()) {
            Evaluation early = ConfigEvaluator.evaluate(core.where() + " (early config)", core.area().config().get(),
                    base.withRoot(root, prefix));
            loaded = early.menuConfig().orElse(null);
            root = early.variables().getOrDefault("root", root);
            prefix = early.variables().getOrDefault("prefix", prefix);
        }
        String via = "";
        if (loaded == null) {
            loaded = new LoadedConfig(GrubPath.resolve(prefix + "/grub.cfg", root), root, prefix);
            Optional<String> text = readable(view, loaded.file());
            if (text.isPresent()) {
                Optional<LoadedConfig> next = ConfigEvaluator.evaluate(loaded.file().toString(), text.get(),
                        base.withRoot(root, prefix)).menuConfig();
                if (next.isPresent()) {
                    via = ", through " + loaded.file();
                    loaded = next.get();
                }
            }
        }
        Optional<String> text = readable(view, loaded.file());
        if (text.isEmpty()) {
            notes.add("jgrub: warning: GRUB's core image " + core.where() + " loads " + loaded.file()
                    + ", which jgrub cannot read there" + (core.area().memdisk() ? " (the image has a memdisk, which"
                            + " jgrub does not read)" : "") + "; looking for grub.cfg in the usual places");
            return Optional.empty();
        }
        notes.add("jgrub: config " + loaded.file() + ", prefix " + loaded.prefix() + " from " + core.where() + via);
        EvalOptions options = base.withRoot(loaded.root() == null ? loaded.file().device() : loaded.root(),
                loaded.prefix() == null ? prefix : loaded.prefix());
        return Optional.of(new GrubConfig(loaded.file().toString(), text.get(), options, notes, Optional.of(disk)));
    }

    /** The text of a file of the disk, empty when its device is not one jgrub reads or the file is not there. */
    private static Optional<String> readable(GrubDiskView view, GrubPath file) throws IOException {
        if (!view.readable(file.device()) || view.stat(file.device(), file.path()).map(f -> f.directory())
                .orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(new String(view.read(file.device(), file.path()), StandardCharsets.ISO_8859_1));
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
