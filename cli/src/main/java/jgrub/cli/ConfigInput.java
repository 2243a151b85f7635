package jgrub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.boot.Platform;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Evaluation;
import jgrub.fs.Disk;
import picocli.CommandLine;

/**
 * The config a {@code check} or {@code menu} run reads, and the options to evaluate it with: a host file, a file on the
 * disk named GRUB-style ({@code (hd0,gpt1)/EFI/debian/grub.cfg}), or, without CONFIG, the config GRUB finds on the
 * disk. {@code $root} and {@code $prefix} start where the config is, as when GRUB loads it from there.
 */
record ConfigInput(String name, String text, EvalOptions options, List<String> notes) {

    /** Evaluates the config as GRUB would on loading it (menu entries are kept, not run). */
    Evaluation evaluate() {
        return ConfigEvaluator.evaluate(name, text, options);
    }

    /** Where GRUB images look for their config, in this order (EFI removable path first). */
    static final String[] CONFIG_PATHS = {"/EFI/BOOT/grub.cfg", "/boot/grub/grub.cfg", "/grub/grub.cfg"};

    static ConfigInput load(CommandLine cli, Path config, Path diskPath, Platform platform) throws IOException {
        if (config != null && Files.isDirectory(config)) {
            throw new IOException(config + ": a directory, not a config file");
        }
        List<String> notes = new ArrayList<>();
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(DiskView.NONE);
        if (diskPath == null) {
            if (config == null) {
                throw new CommandLine.ParameterException(cli, "give a CONFIG file or --disk IMAGE");
            }
            return new ConfigInput(config.toString(), Files.readString(config, StandardCharsets.ISO_8859_1),
                    options, notes);
        }
        // The image stays open for the whole run: the evaluator reads files through the view as it goes.
        Disk disk = Disk.open(diskPath);
        if (config != null && !config.toString().startsWith("(")) {
            // A config from the host, checked against the disk: it starts on the disk's first FAT partition.
            EspDiskView view = new EspDiskView(disk);
            notes.addAll(ImageOptions.warnings(disk));
            String esp = view.firstFileSystem().orElse("hd0,gpt1");
            return new ConfigInput(config.toString(), Files.readString(config, StandardCharsets.ISO_8859_1),
                    options.withDisk(view).withRoot(esp, "(" + esp + ")/boot/grub"), notes);
        }
        return fromDisk(disk, config == null ? null : config.toString(), platform);
    }

    /**
     * The config on an open disk: {@code config} names it GRUB-style ({@code (hd0,gpt1)/boot/grub/grub.cfg}), or,
     * when null, it is the one GRUB finds. {@code $root} and {@code $prefix} start where it is.
     */
    static ConfigInput fromDisk(Disk disk, String config, Platform platform) throws IOException {
        List<String> notes = new ArrayList<>();
        EspDiskView view = new EspDiskView(disk);
        notes.addAll(ImageOptions.warnings(disk));
        EvalOptions options = EvalOptions.defaults().withPlatform(platform).withDisk(view);
        String device;
        String path;
        if (config != null && config.startsWith("(")) {
            int close = config.indexOf(')');
            device = config.substring(1, Math.max(1, close));
            path = config.substring(close + 1);
        } else if (config != null) {
            device = view.find(config).orElseThrow(() -> new java.nio.file.NoSuchFileException(disk.name() + ": "
                    + config + " (not on any FAT partition)"));
            path = config;
        } else {
            String[] found = findConfig(view);
            if (found == null) {
                throw new IOException(disk.name() + ": no grub.cfg found (looked for /EFI/BOOT/grub.cfg, "
                        + "/EFI/*/grub.cfg, /boot/grub/grub.cfg, /grub/grub.cfg on the FAT partitions)");
            }
            device = found[0];
            path = found[1];
        }
        String dir = path.substring(0, Math.max(0, path.lastIndexOf('/')));
        options = options.withRoot(device, "(" + device + ")" + (dir.isEmpty() ? "/" : dir));
        String text = new String(view.read(device, path), StandardCharsets.ISO_8859_1);
        return new ConfigInput("(" + device + ")" + path, text, options, notes);
    }

    private static String[] findConfig(EspDiskView view) throws IOException {
        var removable = view.find(CONFIG_PATHS[0]);
        if (removable.isPresent()) {
            return new String[] {removable.get(), CONFIG_PATHS[0]};
        }
        List<String[]> vendor = view.vendorConfigs();
        if (!vendor.isEmpty()) {
            return vendor.get(0);
        }
        for (int i = 1; i < CONFIG_PATHS.length; i++) {
            var device = view.find(CONFIG_PATHS[i]);
            if (device.isPresent()) {
                return new String[] {device.get(), CONFIG_PATHS[i]};
            }
        }
        return null;
    }
}
