package jgrub.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import jgrub.cli.menu.MenuChoice;
import jgrub.cli.menu.MenuSession;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Submenu;
import jgrub.grub.GrubBoot;
import jgrub.grub.GrubConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrub menu}: the menu GRUB would show for a grub.cfg, as a tree with index paths. */
@Command(name = "menu", description = {"Show the menu GRUB would show: index paths (0, 1>0), titles, ids, classes,"
        + " hotkeys, the default (*) and fallback (F) entries, and the timeout.",
    "With --interactive, show GRUB's full-screen menu in the terminal (edit with e, command line with c) and print"
        + " what would boot: the choice and the boot commands it sends, without booting."})
final class MenuCommand implements Callable<Integer> {

    @Mixin
    ConfigArgs args;

    @Option(names = "--json", description = "Print the menu as JSON with what each entry boots: its boot commands"
            + " after expansion and, with --disk, each file's device, size and SHA-256 (format: menu.schema.json).")
    boolean json;

    @Option(names = "--interactive", description = "Show the full-screen menu and print what the choice would boot.")
    boolean interactive;

    @Option(names = "--menu", description = "With --interactive: show the menu without the config's countdown or"
            + " hidden style.")
    boolean forceMenu;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GrubConfig input = args.load();
        input.notes().forEach(note -> spec.commandLine().getErr().println(note));
        GrubBoot grub = GrubBoot.of(input);
        Evaluation evaluation = grub.evaluation();
        if (json) {
            if (interactive) {
                throw new ParameterException(spec.commandLine(), "--json and --interactive do not go together");
            }
            spec.commandLine().getOut().println(MenuJson.write(input, grub.resolveMenu()));
            return Main.EXIT_OK;
        }
        if (interactive) {
            return interactive(evaluation, input.options().disk());
        }
        Menu menu = evaluation.menu();
        PrintWriter out = spec.commandLine().getOut();
        out.println("timeout: " + menu.timeout().map(t -> t + " s").orElse("none (GRUB waits for a key)")
                + menu.timeoutStyle().map(s -> ", style " + s).orElse(""));
        String defaultPath = menu.defaultPath().orElse("");
        out.println("default: " + menu.defaultEntry().map(d -> "`" + d + "'").orElse("unset")
                + (defaultPath.isEmpty() ? "" : " -> " + defaultPath));
        String fallback = menu.fallback().orElse("").trim();
        out.println("fallback: " + (fallback.isEmpty() ? "none" : fallback));
        if (menu.items().isEmpty()) {
            out.println("(no menu entries)");
        }
        print(out, menu, defaultPath, fallback, 0);
        if (!evaluation.syntaxErrors().isEmpty()) {
            spec.commandLine().getErr().println("note: " + evaluation.syntaxErrors().size()
                    + " syntax error(s); GRUB skips those lines (jgrub check lists them)");
        }
        return Main.EXIT_OK;
    }

    /** The full-screen menu, then what the choice boots, as a dry run: the boot commands and their outcome. */
    private Integer interactive(Evaluation evaluation, DiskView disk) throws IOException {
        if (!MenuSession.onTerminal()) {
            throw new IOException("--interactive needs a terminal on stdin and stdout");
        }
        if (evaluation.menu().items().isEmpty()) {
            throw new IOException("the config has no menu entries");
        }
        Optional<MenuChoice> choice = MenuSession.choose(evaluation, disk, forceMenu);
        if (choice.isEmpty()) {
            throw new IOException("left the menu without booting");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("would boot: " + choice.get().describe());
        if (choice.get() instanceof MenuChoice.EditedEntry edited) {
            out.println("edited body:");
            edited.body().lines().forEach(line -> out.println("  " + line));
        }
        RecordingBootCommands boot = new RecordingBootCommands(disk);
        EntryRun run = choice.get().run(evaluation, boot);
        for (RecordingBootCommands.Result r : boot.results()) {
            out.println("  " + r.command() + (r.status().ok() ? "" : "   -> error: " + r.status().message()));
        }
        out.print(run.output());
        out.println(run.booted() ? "boots" : "does not boot");
        out.flush();
        return run.booted() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static void print(PrintWriter out, Menu menu, String defaultPath, String fallback, int depth) {
        for (MenuItem item : menu.items()) {
            boolean isDefault = item.path().equals(defaultPath);
            boolean isFallback = depth == 0 && (" " + fallback + " ").contains(" " + item.path() + " ");
            StringBuilder line = new StringBuilder();
            line.append(isDefault ? '*' : ' ').append(isFallback ? 'F' : ' ').append(' ');
            line.append("  ".repeat(depth)).append(String.format("%-6s", item.path())).append(' ');
            line.append('"').append(item.title()).append('"');
            if (item instanceof Submenu) {
                line.append(" (submenu)");
            }
            if (!item.id().equals(item.title())) {
                line.append("  id=").append(item.id());
            }
            if (!item.classes().isEmpty()) {
                line.append("  class=").append(String.join(",", item.classes()));
            }
            Optional<String> hotkey = item.hotkey();
            hotkey.ifPresent(h -> line.append("  hotkey=").append(h));
            out.println(line);
            if (item instanceof Submenu submenu) {
                print(out, submenu.menu(), defaultPath, "", depth + 1);
            }
        }
    }
}
