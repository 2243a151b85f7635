package jgrub.cli;

import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jgrub.fat.FatEntry;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrub ls [-l] IMAGE [PATH]}: a directory of the ESP (or of another FAT or ext2/3/4 partition). */
@Command(name = "ls",
        description = "List a directory of the file system on a disk image's ESP (or on another partition).")
final class LsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    @Option(names = "-l", description = "Also show the modification time and, on FAT, the 8.3 alias and the first cluster.")
    boolean longFormat;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
            description = "Directory or file (case-insensitive on FAT, exact on ext); may start with a GRUB partition: "
                    + "(hd0,gpt1)/EFI.")
    String path;

    @Mixin
    ImageOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String[] where = options.split(path);
        try (Disk disk = options.openDisk()) {
            FileSystem fs = ImageOptions.open(disk, where[0], spec.commandLine().getErr());
            FileEntry entry = fs.entry(where[1]);
            List<? extends FileEntry> entries = entry.isDirectory() ? fs.list(entry) : List.of(entry);
            for (FileEntry e : entries) {
                out.println(line(e));
            }
        }
        return 0;
    }

    private String line(FileEntry e) {
        String name = e.name() + (e.isDirectory() ? "/" : "");
        if (!longFormat) {
            return String.format(Locale.ROOT, "%s %10d  %s", e.attributeLetters(), e.size(), name);
        }
        String time = e.modified() == null ? "-" : TIME.format(e.modified());
        // The first cluster and 8.3 alias are FAT's own; another file system shows dashes there.
        String cluster = "-";
        String alias = "-";
        if (e instanceof FatEntry fat) {
            cluster = "0x" + Long.toHexString(fat.firstCluster()).toUpperCase(Locale.ROOT);
            alias = fat.shortName();
        }
        return String.format(Locale.ROOT, "%s %10d  %-16s %10s  %-12s  %s", e.attributeLetters(), e.size(), time,
                cluster, alias, name);
    }
}
