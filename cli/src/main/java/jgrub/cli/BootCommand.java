package jgrub.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.boot.Platform;
import jgrub.cli.console.LiveConsole;
import jgrub.cli.menu.MenuChoice;
import jgrub.cli.menu.MenuSession;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiVariableStore;
import jgrub.fs.Disk;
import jgrub.grub.GrubBoot;
import jgrub.grub.GrubConfig;
import jgrub.grub.LoaderCommands;
import jgrub.machine.GuestDisk;
import jgrub.machine.Machine;
import jgrub.machine.MachineException;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jgrub boot}: evaluates the disk's grub.cfg, runs the chosen entry's commands and boots what they loaded in
 * the emulated PC, its console on stdout. The disk stays open for the whole run: the EFI paths read the ESP while the
 * guest runs.
 */
@Command(name = "boot",
        description = "Boot a menu entry of the disk's grub.cfg in an emulated PC (QEMU, SeaBIOS, and on --platform"
                + " efi jgrub's own EFI environment); the guest's console goes to stdout. Exit 0 when --until"
                + " matched (or, without --until, when the guest powered off), 1 otherwise.")
final class BootCommand implements Callable<Integer> {

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
                    + " Default: the one GRUB finds (/EFI/BOOT/grub.cfg, /EFI/*/grub.cfg, /boot/grub/grub.cfg,"
                    + " /grub/grub.cfg).")
    String config;

    @Option(names = "--platform", paramLabel = "efi|pc", defaultValue = "efi", converter = PlatformConverter.class,
            description = "GRUB platform to boot as: efi (jgrub's EFI environment: multiboot2 with the EFI entry,"
                    + " chainloader) or pc (BIOS: multiboot, multiboot2 32-bit). Default: ${DEFAULT-VALUE}.")
    Platform platform;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2G", converter = SizeConverter.class,
            description = "Guest RAM: a size such as 2048 (MiB), 512M or 2G (default: ${DEFAULT-VALUE}).")
    long memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Virtual CPUs (default: 1).")
    int cpus;

    @Option(names = "--until", paramLabel = "REGEX",
            description = "End with success when the console matches: each line as a terminal shows it (escape"
                    + " sequences dropped), and the line being written, so that a prompt without a newline matches.")
    String until;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "End with failure when this long has passed"
            + " since jgrub started: reading the config and the images count, and the menu too.")
    Double timeout;

    @Option(names = "--wait", description = "Wait for the config's menu timeout before booting, as GRUB would.")
    boolean waitForTimeout;

    @Option(names = "--menu", description = "Show the interactive menu even when the config's timeout is 0, and"
            + " without its countdown. On a terminal the menu is shown anyway unless the timeout is 0; never with"
            + " --entry or when stdin or stdout is not a terminal.")
    boolean showMenu;

    @Option(names = "--accel", paramLabel = "tcg|kvm", defaultValue = "tcg",
            description = "QEMU accelerator (default: ${DEFAULT-VALUE}; kvm only on hosts with working"
                    + " hardware virtualisation).")
    String accel;

    @Option(names = "--qemu", paramLabel = "PATH", defaultValue = MachineOptions.DEFAULT_QEMU,
            description = "The QEMU to run (default: ${DEFAULT-VALUE} on the PATH).")
    String qemu;

    @Option(names = "--disk-bus", paramLabel = "virtio|ahci|ide|none", defaultValue = "virtio",
            description = "Attach the disk to the guest on this controller, so that its OS mounts its root from it"
                    + " (default: ${DEFAULT-VALUE}); none attaches nothing.")
    String diskBus;

    @Option(names = "--writable", description = "Let the guest write to the disk image. Without it the guest's"
            + " writes go to a throw-away overlay and the image is never written.")
    boolean writable;

    @Option(names = "--net", paramLabel = "user", description = "Give the guest a network card (virtio-net) on"
            + " QEMU's user-mode network (NAT to the host's network, DHCP).")
    String net;

    @Option(names = "--display", description = "Give the machine a display (QEMU's ramfb, 1024x768), which jgrub's"
            + " EFI offers as the Graphics Output Protocol, for EFI programs that draw (memtest86+, GRUB's gfxterm)."
            + " The serial console stays the console. --platform efi only.")
    boolean display;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "When the run ends, save the display as a"
            + " PNG in FILE (implies --display).")
    Path screenshot;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write the whole console to FILE.")
    Path log;

    @Option(names = "--trace-efi", description = "Log every EFI call with its arguments and status to stderr.")
    boolean traceEfi;

    @Option(names = "--efi-vars", paramLabel = "FILE",
            description = "Keep EFI variables in FILE: read at start if it exists, written when the run ends.")
    Path efiVars;

    @Option(names = "--timings", description = "At the end, print when each step happened, in seconds since"
            + " jgrub's main method started, in the order they happened: QEMU started, config evaluated, images"
            + " loaded, firmware at jgrub's ROM, handoff, end.")
    boolean timings;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** When this run started: what --timeout and --timings count from. */
    private long startedNanos;
    private long configEvaluated;
    private long imagesLoaded;
    /** What jgrub is doing before QEMU runs the image, for the message when --timeout ends it there. */
    private volatile String stage = "opening the disk";

    /** The open disk (the EFI paths read it while the guest runs) and what its chosen entry boots. */
    private record Loaded(Disk disk, BootProtocol protocol) {
    }

    @Override
    public Integer call() throws Exception {
        startedNanos = Main.startedNanos();
        MachineOptions options = machineOptions();
        PrintWriter err = spec.commandLine().getErr();
        EfiVariableStore variables = efiVars == null ? new EfiVariableStore() : EfiVariableStore.loadOrEmpty(efiVars);
        Optional<Consumer<String>> trace = traceEfi ? Optional.of(line -> {
            err.println(line);
            err.flush();
        }) : Optional.empty();
        // QEMU starts now, so that SeaBIOS runs while the config is evaluated and the images are read and checked;
        // jgrub's option ROM then waits at the doorbell, and only Started.boot gives it an image to enter. A bad
        // image ends the run before any of its code reached the guest, and closing the machine ends QEMU.
        FutureTask<Machine.Started> machine = new FutureTask<>(() -> new Machine(options).start());
        start(machine, "jgrub-start-machine");
        // Reading the disk and the config runs on a thread of its own, so that --timeout bounds it (a config can
        // loop for a long time within the evaluation's budget) and a signal ends jgrub whatever it is doing.
        FutureTask<Loaded> loading = new FutureTask<>(() -> {
            Disk disk = Disk.open(image);
            try {
                return new Loaded(disk, load(disk, platform, new EfiBoot.Options(variables, trace), err));
            } catch (Exception | Error e) {
                disk.close();
                throw e;
            }
        });
        start(loading, "jgrub-load");
        RunResult result;
        try {
            Optional<Loaded> loaded = awaitLoad(loading);
            if (loaded.isEmpty()) {
                err.println("jgrub: timed out after " + seconds(System.nanoTime() - startedNanos) + " s while "
                        + stage);
                return Main.EXIT_FAILURE;
            }
            try (Disk disk = loaded.get().disk(); Machine.Started started = started(machine)) {
                if (until == null && MenuSession.onTerminal()) {
                    // A person at a terminal: the guest's console is theirs, keys included, until Ctrl-a x.
                    err.println("jgrub: the console is live; Ctrl-a x ends the run");
                    err.flush();
                    try (LiveConsole live = LiveConsole.open()) {
                        started.attachKeyboard(live.keys());
                        result = started.boot(loaded.get().protocol());
                    }
                } else {
                    result = started.boot(loaded.get().protocol());
                }
            }
        } finally {
            discard(machine);
            if (efiVars != null) {
                variables.save(efiVars);
            }
        }
        err.println("jgrub: " + result.message());
        if (timings) {
            err.println("jgrub: " + timeline(result.timeline()));
        }
        if (!result.success() && !result.lastLines().isEmpty()) {
            err.println("jgrub: last console lines:");
            result.lastLines().forEach(line -> err.println("  " + line));
        }
        return result.success() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static void start(FutureTask<?> task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits for the disk to be read and the entry's images loaded, up to what is left of --timeout (counted from
     * jgrub's start); empty when it ran out, and the loading thread is told to stop (an evaluation in progress ends
     * at its next command).
     */
    private Optional<Loaded> awaitLoad(FutureTask<Loaded> loading) throws Exception {
        try {
            if (timeout == null) {
                return Optional.of(loading.get());
            }
            long left = startedNanos + Math.round(timeout * 1e9) - System.nanoTime();
            return Optional.of(loading.get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            loading.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            loading.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static Machine.Started started(FutureTask<Machine.Started> machine)
            throws MachineException, InterruptedException {
        try {
            return machine.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MachineException cause) {
                throw cause;
            }
            throw new IllegalStateException("starting the machine failed", e.getCause());
        }
    }

    /** Ends a machine nobody booted (the load failed or timed out): QEMU and its files go. A booted one is closed. */
    private static void discard(FutureTask<Machine.Started> machine) throws InterruptedException {
        try {
            machine.get().close();
        } catch (ExecutionException e) {
            // Nothing was made, or the failure was reported.
        }
    }

    /** Runs the entry's commands; every file is read and every image checked before the guest is given one. */
    private BootProtocol load(Disk disk, Platform platform, EfiBoot.Options efiOptions, PrintWriter err)
            throws IOException, BootException, InterruptedException {
        stage = "evaluating the config";
        GrubConfig grubConfig = GrubConfig.onDisk(disk, config, platform);
        grubConfig.notes().forEach(err::println);
        GrubBoot boot = GrubBoot.of(grubConfig);
        Evaluation evaluation = boot.evaluation();
        configEvaluated = System.nanoTime();
        LoaderCommands commands = boot.loaderCommands(efiOptions);
        EntryRun run;
        if (MenuSession.wanted(evaluation.menu(), showMenu, entry != null)) {
            stage = "showing the menu";
            MenuChoice choice = MenuSession.choose(evaluation, grubConfig.options().disk(), showMenu)
                    .orElseThrow(() -> new BootException("left the menu without booting"));
            stage = "loading the images";
            run = choice.run(evaluation, commands);
        } else {
            if (waitForTimeout) {
                stage = "waiting for the menu's timeout";
                int seconds = evaluation.menu().timeout().orElse(0);
                for (int s = seconds; s > 0; s--) {
                    err.println("jgrub: the highlighted entry will be executed automatically in " + s + "s.");
                    Thread.sleep(1000);
                }
            }
            stage = "loading the images";
            run = boot.run(entry, commands);
        }
        run.fellBack().forEach(note -> err.println("jgrub: " + note));
        BootProtocol protocol = boot.booted(run, commands);
        imagesLoaded = System.nanoTime();
        err.println("jgrub: booting menu entry '" + run.entry().map(e -> e.title()).orElse("") + "' ("
                + platform.grubPlatform() + ")");
        err.flush();
        return protocol;
    }

    /** "timings (s since main): QEMU started 0.071, config evaluated 0.112, ...", in the order they happened. */
    private String timeline(RunResult.Timeline t) {
        Map<String, Long> steps = new LinkedHashMap<>();
        steps.put("QEMU started", t.qemuStarted());
        steps.put("config evaluated", configEvaluated);
        steps.put("images loaded", imagesLoaded);
        t.firmwareReported().ifPresent(at -> steps.put("firmware at jgrub's ROM", at));
        t.handedOff().ifPresent(at -> steps.put("handed off", at));
        steps.put("ended", t.ended());
        return "timings (s since main): " + steps.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(step -> step.getKey() + " " + String.format(Locale.ROOT, "%.3f",
                        (step.getValue() - startedNanos) / 1e9))
                .collect(Collectors.joining(", "));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private MachineOptions machineOptions() throws IOException {
        MachineOptions options = MachineOptions.defaults()
                .withConsole(console(spec.commandLine().getOut()))
                .withQemu(qemu)
                .withExtraQemuArgs(qemuArgs)
                .withConsoleLog(log)
                .withStartedAt(startedNanos);
        try {
            options = options.withMemory(memory).withCpus(cpus)
                    .withAccel(MachineOptions.Accel.valueOf(accel.toUpperCase(Locale.ROOT)));
            if (timeout != null) {
                options = options.withTimeout(Duration.ofMillis(Math.round(timeout * 1000)));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        options = withGuestDevices(options);
        if (display || screenshot != null) {
            if (platform != Platform.EFI) {
                throw new ParameterException(spec.commandLine(), (screenshot != null ? "--screenshot" : "--display")
                        + ": the display is served by jgrub's EFI (--platform efi), not on " + platform.grubPlatform());
            }
            options = screenshot != null ? options.withScreenshot(screenshot) : options.withDisplay(true);
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

    /** The disk (unless --disk-bus none) and the network card (with --net user) for the guest's own OS. */
    private MachineOptions withGuestDevices(MachineOptions options) throws IOException {
        if (net != null && !net.equals("user")) {
            throw new ParameterException(spec.commandLine(), "--net: 'user' is the one network jgrub offers, not '"
                    + net + "'");
        }
        options = options.withUserNetwork(net != null);
        if (diskBus.equals("none")) {
            if (writable) {
                throw new ParameterException(spec.commandLine(), "--writable: the disk is not attached (--disk-bus"
                        + " none)");
            }
            return options;
        }
        GuestDisk.Bus bus;
        try {
            bus = GuestDisk.Bus.valueOf(diskBus.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--disk-bus: one of virtio, ahci, ide, none, not '"
                    + diskBus + "'");
        }
        return options.withDisk(new GuestDisk(image, GuestDisk.Format.of(image), bus, writable));
    }

    /** The guest's bytes (UTF-8, as Xen and Linux write) to the command's stdout as they come. */
    private static OutputStream console(PrintWriter out) throws IOException {
        return org.apache.commons.io.output.WriterOutputStream.builder().setWriter(out)
                .setCharset(StandardCharsets.UTF_8).setWriteImmediately(true).get();
    }
}
