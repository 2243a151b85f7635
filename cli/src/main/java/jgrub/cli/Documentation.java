package jgrub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man page ({@code jgrub.1}, troff) and the bash completion script of the command line, made from the same picocli
 * model the help comes from, so they cannot drift from it. The build runs {@link #main} into {@code cli/target}.
 */
public final class Documentation {

    private Documentation() {
    }

    /** {@code Documentation DIR}: writes DIR/jgrub.1 and DIR/jgrub-completion.bash. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        CommandLine cli = Main.commandLine();
        Files.writeString(dir.resolve("jgrub.1"), manPage(cli, LocalDate.of(2026, 1, 1)), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("jgrub-completion.bash"), AutoComplete.bash("jgrub", cli),
                StandardCharsets.UTF_8);
    }

    /** The man page: NAME, SYNOPSIS, DESCRIPTION, one subsection per command with its options, EXIT STATUS. */
    static String manPage(CommandLine cli, LocalDate date) {
        StringBuilder man = new StringBuilder();
        CommandSpec root = cli.getCommandSpec();
        man.append(".TH JGRUB 1 \"").append(date).append("\" \"jgrub\" \"User Commands\"\n");
        man.append(".SH NAME\njgrub \\- ").append(roff(String.join(" ", root.usageMessage().description())))
                .append('\n');
        man.append(".SH SYNOPSIS\n.B jgrub\n.RI [ OPTIONS ] \" COMMAND \" [ ARGS ...]\n");
        man.append(".SH DESCRIPTION\n");
        options(man, root);
        man.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            man.append(".SS ").append(roff(sub.getKey())).append('\n');
            man.append(".B jgrub ").append(roff(sub.getKey()));
            for (PositionalParamSpec p : spec.positionalParameters()) {
                man.append(' ').append(roff(p.paramLabel()));
            }
            man.append("\n.PP\n");
            for (String paragraph : spec.usageMessage().description()) {
                man.append(roff(paragraph)).append("\n.PP\n");
            }
            options(man, spec);
        }
        man.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> code : Main.EXIT_CODES.entrySet()) {
            man.append(".TP\n.B ").append(code.getKey()).append('\n').append(roff(code.getValue())).append('\n');
        }
        man.append(".SH SEE ALSO\n.BR grub-script-check (1),\n.BR qemu-system-x86_64 (1)\n");
        return man.toString();
    }

    private static void options(StringBuilder man, CommandSpec spec) {
        for (OptionSpec option : spec.options()) {
            man.append(".TP\n.B ").append(roff(String.join(", ", option.names())));
            if (option.arity().max() > 0) {
                man.append(" \\fI").append(roff(option.paramLabel())).append("\\fR");
            }
            man.append('\n').append(roff(String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", option.defaultValue() == null ? "" : option.defaultValue())))
                    .append('\n');
        }
    }

    /** Text for troff: backslashes doubled, hyphens kept as hyphens, a leading dot or quote escaped. */
    static String roff(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        if (escaped.startsWith(".") || escaped.startsWith("'")) {
            escaped = "\\&" + escaped;
        }
        return escaped.replace("\n.", "\n\\&.");
    }
}
