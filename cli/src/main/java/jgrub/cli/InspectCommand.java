package jgrub.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jgrub.multiboot.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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

    @Override
    public Integer call() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        for (String line : Inspector.describe(file.toString(), bytes)) {
            spec.commandLine().getOut().println(line);
        }
        return Main.EXIT_OK;
    }
}
