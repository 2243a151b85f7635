package jgrub.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.Platform;
import jgrub.esp.EspImage;
import jgrub.machine.Machine;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jgrub boot}: evaluates the disk's grub.cfg, runs the chosen entry's commands and boots what they loaded in
 * the emulated PC, its console on stdout.
 */
@Command(name = "boot", description = "Boot a menu entry of the disk's grub.cfg in an emulated PC (QEMU, SeaBIOS);"
        + " the guest's console goes to stdout. Exit 0 when --until matched (or, without --until, when the guest"
        + " powered off), 1 otherwise.")
final class BootCommand implements Callable<Integer> {

    /** Where GRUB installations keep grub.cfg, in the order jgrub looks (as tools/grub-reference-boot does). */
    private static final List<String> CONFIGS = List.of("/EFI/BOOT/grub.cfg", "/boot/grub/grub.cfg", "/grub/grub.cfg");

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Raw disk image (GPT, MBR or bare FAT).")
    Path image;

    @Parameters(index = "1..*", paramLabel = "QEMU_ARG", description = "After --: extra arguments for QEMU.")
    List<String> qemuArgs = new ArrayList<>();

    @Option(names = "--entry", paramLabel = "SELECTOR",
            description = "Menu entry: an index path (0, 1>0), a title or an id, as GRUB's default takes."
                    + " Default: the config's default.")
    String entry;

    @Option(names = "--config", paramLabel = "PATH",
            description = "grub.cfg on the disk, GRUB-style ((hd0,gpt1)/boot/grub/grub.cfg or /boot/grub/grub.cfg)."
                    + " Default: the first of " + "/EFI/BOOT/grub.cfg, /boot/grub/grub.cfg, /grub/grub.cfg.")
    String config;

    @Option(names = "--platform", paramLabel = "pc|efi", defaultValue = "pc",
            description = "GRUB platform to boot as: pc (BIOS, Multiboot 1 and 2) or efi (jgrub's EFI environment:"
                    + " multiboot2 with the EFI entry, chainloader). Default: ${DEFAULT-VALUE}.")
    String platform;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2G",
            description = "Guest RAM: MiB, or with a suffix M or G (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Virtual CPUs (default: 1).")
    int cpus;

    @Option(names = "--until", paramLabel = "REGEX",
            description = "End with success when a console line matches.")
    String until;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "End with failure after this long.")
    Double timeout;

    @Option(names = "--accel", paramLabel = "tcg|kvm", defaultValue = "tcg",
            description = "QEMU accelerator (default: ${DEFAULT-VALUE}).")
    String accel;

    @Option(names = "--qemu", paramLabel = "PATH", defaultValue = MachineOptions.DEFAULT_QEMU,
            description = "The QEMU to run (default: ${DEFAULT-VALUE} on the PATH).")
    String qemu;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write the whole console to FILE.")
    Path log;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MachineOptions options = machineOptions();
        PrintWriter err = spec.commandLine().getErr();
        BootProtocol protocol;
        RunResult result;
        // The disk stays open for the run: jgrub's EFI environment serves its files to the guest.
        try (EspImage disk = EspImage.open(image)) {
            protocol = load(disk, err);
            result = new Machine(options).boot(protocol);
        }
        err.println("jgrub: " + result.message());
        if (!result.success() && !result.lastLines().isEmpty()) {
            err.println("jgrub: last console lines:");
            result.lastLines().forEach(line -> err.println("  " + line));
        }
        return result.success() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /** Runs the entry's commands; every file is read and every image checked before QEMU starts. */
    private BootProtocol load(EspImage disk, PrintWriter err) throws IOException, BootException {
        EspDiskView view = new EspDiskView(disk);
        String device;
        String path;
        if (config != null && config.startsWith("(") && config.indexOf(')') > 0) {
            device = config.substring(1, config.indexOf(')'));
            path = config.substring(config.indexOf(')') + 1);
        } else {
            path = null;
            device = null;
            for (String candidate : config != null ? List.of(config) : CONFIGS) {
                Optional<String> found = view.deviceWith(candidate);
                if (found.isPresent()) {
                    device = found.get();
                    path = candidate;
                    break;
                }
            }
            if (device == null) {
                throw new java.nio.file.NoSuchFileException(image + ": " + (config != null ? config
                        : String.join(", ", CONFIGS)) + " (no grub.cfg on the disk)");
            }
        }
        String text = new String(view.read(device, path), StandardCharsets.ISO_8859_1);
        String prefix = "(" + device + ")" + path.substring(0, Math.max(0, path.lastIndexOf('/')));
        EvalOptions evalOptions = EvalOptions.defaults().withPlatform(Platform.byName(platform))
                .withDisk(view).withRoot(device, prefix);
        Evaluation evaluation = ConfigEvaluator.evaluate(path, text, evalOptions);
        LoaderCommands commands = new LoaderCommands(view, "efi".equals(platform));
        EntryRun run = entry == null ? evaluation.runDefault(commands) : evaluation.run(entry, commands);
        run.fellBack().forEach(note -> err.println("jgrub: " + note));
        String title = run.entry().map(e -> "'" + e.title() + "'").orElse("(none)");
        Optional<BootProtocol> protocol = commands.protocol();
        if (!run.booted() || protocol.isEmpty()) {
            String why = commands.refusals().isEmpty() ? run.notices().stream().map(Object::toString)
                    .reduce((a, b) -> a + "; " + b).orElse("it loads no kernel") : commands.refusals().get(0);
            throw new BootException("menu entry " + title + " does not boot: " + why);
        }
        err.println("jgrub: booting menu entry " + title);
        return protocol.get();
    }

    private MachineOptions machineOptions() throws IOException {
        if (!"pc".equals(platform) && !"efi".equals(platform)) {
            throw new ParameterException(spec.commandLine(), "--platform must be pc or efi, not '" + platform + "'");
        }
        MachineOptions options = MachineOptions.defaults()
                .withConsole(console(spec.commandLine().getOut()))
                .withQemu(qemu)
                .withExtraQemuArgs(qemuArgs)
                .withConsoleLog(log);
        try {
            options = options.withMemory(parseSize(memory)).withCpus(cpus)
                    .withAccel(MachineOptions.Accel.valueOf(accel.toUpperCase(Locale.ROOT)));
            if (timeout != null) {
                options = options.withTimeout(Duration.ofMillis(Math.round(timeout * 1000)));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (until != null) {
            try {
                options = options.withUntil(Pattern.compile(until));
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--until: not a regular expression: "
                        + e.getDescription());
            }
        }
        return options;
    }

    static long parseSize(String size) {
        String s = size.strip().toUpperCase(Locale.ROOT);
        long unit = 1L << 20;
        if (s.endsWith("G")) {
            unit = 1L << 30;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("M")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--memory: '" + size + "' is not a size such as 2048, 512M or 2G");
        }
    }

    /** The guest's bytes (UTF-8, as Xen and Linux write) to the command's stdout as they come. */
    private static OutputStream console(PrintWriter out) throws IOException {
        return org.apache.commons.io.output.WriterOutputStream.builder().setWriter(out)
                .setCharset(StandardCharsets.UTF_8).setWriteImmediately(true).get();
    }
}
