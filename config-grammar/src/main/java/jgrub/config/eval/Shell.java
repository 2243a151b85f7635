package jgrub.config.eval;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jgrub.config.grammar.DeepStack;
import jgrub.config.grammar.ScriptParser;

/**
 * GRUB's command line (grub-core/normal/cmdline.c, main.c grub_cmdline_run): script text typed a line at a time and
 * run at once in one persistent state. Made by {@link Evaluation#shell(BootCommands)}; not thread-safe.
 */
public final class Shell {

    /** How positions in what the user typed are labelled. */
    public static final String SOURCE = "(command line)";

    private final Interpreter in;
    private int lines;
    private boolean halted;

    Shell(Interpreter in) {
        this.in = in;
    }

    /**
     * Runs {@code text} as GRUB runs a command line and returns what it printed ({@code error: ...} lines included).
     * After {@code halt}, {@code reboot} or {@code exit}, {@link #halted()} is true and nothing more runs.
     */
    public String run(String text) {
        if (halted) {
            return "";
        }
        in.output.setLength(0);
        lines++;
        DeepStack.get(() -> {
            try {
                in.runParsed(ScriptParser.parse(SOURCE, text, lines, 1));
            } catch (Interpreter.Halt e) {
                halted = true;
            } catch (Interpreter.MenuShown e) {
                in.print("error: configfile from the command line is unsupported: its menu is not shown.\n");
            }
            return null;
        });
        return in.output.toString();
    }

    /** Whether a command ended GRUB. */
    public boolean halted() {
        return halted;
    }

    /** The command names this GRUB build knows, and the functions defined so far, sorted: for completion. */
    public Set<String> commandNames() {
        Set<String> names = new TreeSet<>(in.functions.keySet());
        for (String name : Builtins.EFI_COMMANDS) {
            if (in.builtins().knows(name)) {
                names.add(name);
            }
        }
        for (String name : Builtins.PC_ONLY_COMMANDS) {
            if (in.builtins().knows(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The variables as they are now, sorted by name. */
    public Map<String, String> variables() {
        return in.env.sorted();
    }

    /** {@code $root}: the device a path without {@code (device)} is on. */
    public String root() {
        String root = in.env.get("root");
        return root == null ? "" : root;
    }
}
