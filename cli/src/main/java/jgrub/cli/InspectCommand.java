package jgrub.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jgrub.boot.BootException;
import jgrub.multiboot.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrub inspect FILE}: what a kernel file is, its Multiboot headers and tags, where it loads and enters. */
@Command(
        name = "inspect",
        description = {
            "Show what a kernel file is (Multiboot 1/2 image, ELF, PE, gzip or xz of one), its headers and tags",
            "decoded with names and values, its entry points and load addresses."
        })
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The kernel file, for example /boot/xen.gz.")
    Path file;

    @Spec
    CommandSpec spec;

    /** Kernels are megabytes; a larger file is something else (a disk image, say) and is not read into memory. */
    static final long MAX_SIZE = 1L << 30;

    @Override
    public Integer call() throws Exception {
        long size = Files.size(file);
        if (size > MAX_SIZE) {
            throw new BootException(file + ": " + size + " bytes, larger than any kernel (1 GiB at most): not a"
                    + " kernel image (unsupported)");
        }
        byte[] bytes = Files.readAllBytes(file);
        for (String line : Inspector.describe(file.toString(), bytes)) {
            spec.commandLine().getOut().println(line);
        }
        return Main.EXIT_OK;
    }
}
