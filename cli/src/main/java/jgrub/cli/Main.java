package jgrub.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code jgrub} command. It only wires subcommands together and turns failures into exit codes: 0 success,
 * 1 failure, 2 usage error. Every failure is one line on stderr; {@code --debug} adds the stack trace.
 */
@Command(
        name = "jgrub",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A GRUB-style bootloader that boots Xen in an emulated PC and checks boot configurations.",
        usageHelpAutoWidth = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:usage error"})
public final class Main implements Runnable {

    /**
     * The subcommands, in the order help lists them. Picocli reads a command's annotations when it is added, which
     * costs start-up time for each; so a run adds only the subcommand it names, and all of them only when it names
     * none (help, usage errors).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            BootCommand.class,
            CheckCommand.class,
            MenuCommand.class,
            PlanCommand.class,
            InspectCommand.class,
            PartsCommand.class,
            LsCommand.class,
            CatCommand.class,
            MkespCommand.class);

    /** When jgrub's own code started (after the JVM's start-up). */
    static final long STARTED_NANOS = System.nanoTime();

    /** When the run on this thread started: see {@link #startedNanos}. */
    private static final ThreadLocal<Long> RUN_STARTED = new ThreadLocal<>();

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of failures.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // "jgrub" alone: show what there is to do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, STARTED_NANOS));
    }

    /** Runs the command line with the given streams and returns the exit code; the tests call this. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.nanoTime());
    }

    /**
     * When the current run started, as a {@link System#nanoTime} value, for {@code boot --timeout} and
     * {@code --timings}: jgrub's start in a process of its own, the call of {@link #run} when a JVM runs many (tests).
     */
    static long startedNanos() {
        Long started = RUN_STARTED.get();
        return started != null ? started : STARTED_NANOS;
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, long started) {
        RUN_STARTED.set(started);
        try {
            return execute(args, out, err);
        } finally {
            RUN_STARTED.remove();
        }
    }

    private static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        addSubcommands(cli, args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine command = ex.getCommandLine();
            err.println("jgrub: " + ex.getMessage());
            command.usage(err);
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, command, parseResult) -> {
            err.println("jgrub: " + Failures.describe(ex));
            if (main.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_FAILURE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The whole command line, every subcommand added: what help, the man page and shell completion describe. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        addSubcommands(cli, new String[0]);
        return cli;
    }

    private static void addSubcommands(CommandLine cli, String[] args) {
        String named = null;
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                named = arg;
                break;
            }
        }
        for (Class<?> command : SUBCOMMANDS) {
            if (named == null || named.equals(command.getAnnotation(Command.class).name())) {
                add(cli, command);
                if (named != null) {
                    return;
                }
            }
        }
        if (named != null) {
            SUBCOMMANDS.forEach(command -> add(cli, command)); // an unknown command: its usage error lists them all
        }
    }

    /** Exit codes as every command's help lists them. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "success");
        codes.put("1", "failure: a bad disk, config or image, a check that found errors, a boot that did not reach --until");
        codes.put("2", "usage error: an unknown option or a missing or bad argument");
        codes.put("130", "ended by SIGINT (Ctrl-c); boot leaves no QEMU and no files behind");
        codes.put("143", "ended by SIGTERM, likewise");
        return codes;
    }

    /** A subcommand with what every command has: -h/--help, -V/--version, the exit codes in its help. */
    private static void add(CommandLine cli, Class<?> command) {
        CommandLine sub = new CommandLine(command);
        sub.getCommandSpec().mixinStandardHelpOptions(true);
        sub.getCommandSpec().versionProvider(new VersionProvider());
        sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        cli.addSubcommand(sub);
    }
}
