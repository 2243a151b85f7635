package jgrub.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import jgrub.ext.ExtFileSystem;
import jgrub.fs.Disk;
import jgrub.fs.FileSystem;
import jgrub.grub.GrubConfig;
import jgrub.part.Guids;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;
import jgrub.part.PartitionTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrub parts IMAGE}: the partition table, one line per partition, the ESP marked. */
@Command(name = "parts",
        description = "List the partitions of a disk image (GPT, MBR or none) and mark the ESP.")
final class PartsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Raw disk image.")
    Path image;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Disk disk = Disk.open(image)) {
            PartitionTable table = disk.table();
            out.println(describe(table, disk.device().size()));
            Optional<Partition> esp = table.esp();
            out.printf(Locale.ROOT, "%-3s %-13s %12s %12s %10s  %-22s %-20s %s%n", "#", "DEVICE", "START", "SECTORS",
                    "SIZE", "TYPE", "NAME", table.scheme() == PartitionScheme.GPT ? "TYPE-GUID UNIQUE-GUID" : "");
            for (Partition p : table.partitions()) {
                boolean isEsp = esp.isPresent() && esp.get().number() == p.number();
                String guids = p.typeGuid() == null ? "" : Guids.toString(p.typeGuid()) + " "
                        + Guids.toString(p.uniqueGuid());
                out.printf(Locale.ROOT, "%-3s %-13s %12d %12d %10s  %-22s %-20s %s%n",
                        (isEsp ? "*" : "") + p.number(), p.grubName(), p.firstLba(), p.size() / table.sectorSize(),
                        human(p.size()), p.typeName(), quote(p.name()), guids);
            }
            out.println("file systems (grub-probe's name, blkid's in brackets):");
            for (Partition p : table.partitions()) {
                out.println("  " + fileSystem(disk, p));
            }
            if (esp.isPresent()) {
                out.println("* EFI System Partition: " + esp.get().grubName());
            }
            GrubConfig.diskWarnings(disk).forEach(err::println);
        }
        return 0;
    }

    /** {@code (hd0,gpt2)  ext2 [ext4]  UUID 0f0e...  label root}, or why there is none jgrub reads. */
    private static String fileSystem(Disk disk, Partition p) {
        String device = String.format(Locale.ROOT, "%-13s ", p.grubName());
        Optional<FileSystem> fs;
        try {
            fs = disk.findFileSystem(p);
        } catch (IOException e) {
            return device + "damaged: " + e.getMessage();
        }
        if (fs.isEmpty()) {
            return device + "none jgrub reads";
        }
        String type = fs.get().typeName() + (fs.get() instanceof ExtFileSystem ext ? " [" + ext.version() + "]"
                : " [vfat]");
        return String.format(Locale.ROOT, "%s%-13s UUID %-36s  label %s", device, type, fs.get().uuid(),
                fs.get().label().orElse("-"));
    }

    static String describe(PartitionTable table, long imageSize) {
        String scheme = switch (table.scheme()) {
            case GPT -> "GPT";
            case MBR -> "MBR";
            case NONE -> "no partition table (FAT file system at offset 0)";
        };
        return scheme + ", " + table.sectorSize() + "-byte sectors, " + human(imageSize) + " image";
    }

    private static String quote(String name) {
        return name.isEmpty() ? "-" : name;
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
