package jgrub.config.eval;

import jgrub.config.grammar.DeepStack;
import jgrub.config.grammar.ParseResult;
import jgrub.config.grammar.ScriptParser;

/**
 * Evaluates a whole GRUB config into a menu, as GRUB's normal mode does at start: parse, run the top level (variables,
 * functions, {@code search}, {@code load_env}, {@code menuentry}/{@code submenu} registering entries), stop where GRUB
 * would show the menu. Boot commands at the top level go to a {@link RecordingBootCommands}. Then
 * {@link Evaluation#run} runs an entry; {@code jgrub boot} calls exactly that.
 */
public final class ConfigEvaluator {

    private ConfigEvaluator() {
    }

    /** Evaluates the config text named {@code file} (the name only labels positions). */
    public static Evaluation evaluate(String file, String text, EvalOptions options) {
        return DeepStack.get(() -> evaluateHere(file, text, options));
    }

    private static Evaluation evaluateHere(String file, String text, EvalOptions options) {
        ParseResult parsed = ScriptParser.parse(file, text);
        Interpreter in = new Interpreter(options, Interpreter.initialEnvironment(options),
                new RecordingBootCommands(options.disk()));
        // normal/main.c read_config_file: the name as given when it names its device, else on $root; exported.
        String configFile = file.startsWith("(") ? file : "(" + options.root() + ")" + file;
        in.env.set("config_file", configFile);
        in.env.set("config_directory", configFile.lastIndexOf('/') < 0 ? configFile
                : configFile.substring(0, configFile.lastIndexOf('/')));
        in.env.export("config_file");
        in.env.export("config_directory");
        java.util.List<Interpreter.RawItem> items;
        LoadedConfig shownConfig = null;
        try {
            in.runParsed(parsed, false);
            items = in.menu;
        } catch (Interpreter.MenuShown shown) {
            items = shown.items;
            shownConfig = shown.config;
        } catch (Interpreter.Halt halt) {
            items = in.menu;
        }
        return new Evaluation(in, items, parsed.errors(), parsed.hasCommands(),
                java.util.Optional.ofNullable(shownConfig));
    }
}
