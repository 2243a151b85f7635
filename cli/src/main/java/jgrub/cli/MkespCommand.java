package jgrub.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jgrub.fat.FatType;
import jgrub.fat.write.EspBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrub mkesp OUT.img --size SIZE ... HOSTPATH=/PATH/IN/ESP ...}: a test ESP from host files. */
@Command(name = "mkesp",
        description = "Build a test disk image: GPT with one EFI System Partition (or a bare FAT image) holding host "
                + "files.")
final class MkespCommand implements Callable<Integer> {


    @Parameters(index = "0", paramLabel = "OUT.img", description = "Image to write.")
    Path out;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "HOSTPATH=/PATH/IN/ESP",
            description = "A host file or directory and where it goes in the ESP; a directory is copied with its "
                    + "contents; a path ending in / names the directory a file goes into; HOSTPATH alone puts it in /.")
    List<String> files = List.of();

    @Option(names = "--size", required = true, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Image size: 64M, 1G, 4194304B; a bare number is MiB.")
    long size;

    @Option(names = "--fat", paramLabel = "12|16|32",
            description = "FAT type. Default: 32 from 512 MiB, else 16 when the size allows it, else 12.")
    Integer fat;

    @Option(names = "--label", paramLabel = "LABEL", description = "Volume label, up to 11 characters.")
    String label;

    @Option(names = "--serial", paramLabel = "XXXX-XXXX",
            description = "Volume serial, which GRUB's search --fs-uuid matches. Default: from the clock.")
    String serial;

    @Option(names = "--no-partition-table", description = "Write a bare FAT image (superfloppy) instead of GPT.")
    boolean noPartitionTable;

    @Option(names = "--force", description = "Overwrite OUT.img if it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EspBuilder builder = new EspBuilder(size).label(label).partitionTable(!noPartitionTable);
        if (fat != null) {
            builder.fatType(switch (fat) {
                case 12 -> FatType.FAT12;
                case 16 -> FatType.FAT16;
                case 32 -> FatType.FAT32;
                default -> throw new ParameterException(spec.commandLine(), "--fat: 12, 16 or 32, not " + fat);
            });
        }
        if (serial != null) {
            if (!serial.matches("[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}")) {
                throw new ParameterException(spec.commandLine(), "--serial: XXXX-XXXX in hex, not " + serial);
            }
            builder.serial(Long.parseLong(serial.replace("-", ""), 16));
        }
        for (String spec : files) {
            int split = hostSplit(spec);
            if (split < 0) {
                builder.add(Path.of(spec), "/");
            } else {
                builder.add(Path.of(spec.substring(0, split)), spec.substring(split + 1));
            }
        }
        builder.write(out, force);
        return 0;
    }

    /** The '=' before the ESP path: the last one followed by '/' or '\'. */
    private static int hostSplit(String spec) {
        for (int i = spec.length() - 2; i > 0; i--) {
            if (spec.charAt(i) == '=' && (spec.charAt(i + 1) == '/' || spec.charAt(i + 1) == '\\')) {
                return i;
            }
        }
        return -1;
    }
}
