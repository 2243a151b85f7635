package jgrub.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        subcommands = {
            PartsCommand.class,
            LsCommand.class,
            CatCommand.class,
            MkespCommand.class,
            CheckCommand.class,
            MenuCommand.class,
            InspectCommand.class,
            BootCommand.class,
            PlanCommand.class,
        },
        usageHelpAutoWidth = true)
public final class Main implements Runnable {

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
        System.exit(run(args, out, err));
    }

    /** Runs the command line with the given streams and returns the exit code; the tests call this. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
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
}
