package jgrub.config.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jgrub.config.ast.Position;
import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.EvalOptions;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.Notice;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.grammar.SyntaxError;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Selectors;
import jgrub.config.menu.Submenu;

/**
 * Finds every problem in a config, not only the first: all syntax errors; then the top level runs and every menu
 * entry is dry-run (each from the state the config left, with {@link RecordingBootCommands}) to find unknown
 * commands, wrong options, failing commands, boot commands in the wrong order, entries that boot nothing,
 * {@code default}/{@code fallback} that name no entry and duplicate ids; with a disk, files that are not there.
 */
public final class ConfigChecker {

    private ConfigChecker() {
    }

    public static CheckReport check(String file, String text, EvalOptions options) {
        Evaluation evaluation = ConfigEvaluator.evaluate(file, text, options);
        return check(evaluation, options, file);
    }

    /** Checks an evaluation; {@code options} must be the ones it was made with. */
    public static CheckReport check(Evaluation evaluation, EvalOptions options, String file) {
        return check(evaluation, options, file, () -> new RecordingBootCommands(options.disk()));
    }

    /**
     * Checks with boot commands from {@code recorders}, one per entry: a subclass of {@link RecordingBootCommands}
     * can check that kernel files are images of the kind their command loads.
     */
    public static CheckReport check(Evaluation evaluation, EvalOptions options, String file,
            Supplier<? extends RecordingBootCommands> recorders) {
        return jgrub.config.grammar.DeepStack.get(() -> checkHere(evaluation, options, file, recorders));
    }

    private static CheckReport checkHere(Evaluation evaluation, EvalOptions options, String file,
            Supplier<? extends RecordingBootCommands> recorders) {
        List<Diagnostic> out = new ArrayList<>();
        int[] skipped = {0};
        Position first = new Position(file, 1, 1);
        for (SyntaxError error : evaluation.syntaxErrors()) {
            out.add(new Diagnostic(Severity.ERROR, error.position(), "", error.message(), "syntax"));
        }
        if (!evaluation.hasCommands()) {
            out.add(new Diagnostic(Severity.ERROR, first, "", "the config contains no commands and will do nothing"
                    + " (grub-script-check rejects it)", "no-commands"));
        }
        notices(evaluation.notices(), "", out, skipped);
        Menu menu = evaluation.menu();
        for (MenuItem item : menu.allItems()) {
            if (item instanceof MenuEntry entry) {
                checkEntry(evaluation, recorders.get(), entry, out, skipped);
            }
        }
        if (menu.items().isEmpty() && skipped[0] > 0) {
            out.add(new Diagnostic(Severity.NOTE, first, "", "no menu entries found; the menu may be in a file that"
                    + " could not be read", "empty-menu"));
        } else {
            checkMenu(menu, "", out, first);
        }
        if (!options.disk().present()) {
            out.add(new Diagnostic(Severity.NOTE, first, "", "disk checks skipped: no --disk given, so files,"
                    + " devices (search) and grubenv were not checked" + (skipped[0] == 0 ? ""
                    : " (" + skipped[0] + " step(s) needed it)"), "disk-skipped"));
        } else if (skipped[0] > 0) {
            out.add(new Diagnostic(Severity.NOTE, first, "", skipped[0] + " step(s) were not checked: they need"
                    + " files on a file system jgrub cannot read (it reads FAT)", "disk-skipped"));
        }
        out.sort(Comparator.comparing((Diagnostic d) -> d.position().file())
                .thenComparingInt(d -> d.position().line()).thenComparingInt(d -> d.position().column()));
        return new CheckReport(out, options.disk().present(), evaluation);
    }

    private static String label(MenuItem item) {
        return item.path() + " \"" + item.title() + "\"";
    }

    private static void checkEntry(Evaluation evaluation, RecordingBootCommands boot, MenuEntry entry,
            List<Diagnostic> out, int[] skipped) {
        EntryRun run = evaluation.run(entry, boot);
        String label = label(entry);
        // A kernel that failed to load is the first cause; the modules and boot after it only repeat it.
        boolean kernelFailed = false;
        for (RecordingBootCommands.Result result : boot.results()) {
            if (result.kernelTried().isPresent()) {
                kernelFailed = !result.status().ok();
            } else if (!kernelFailed && !result.status().ok()
                    && "you need to load the kernel first".equals(result.status().message())) {
                out.add(new Diagnostic(Severity.ERROR, result.command().position(), label,
                        orderMessage(result), "boot-order"));
            }
        }
        notices(run.notices().stream()
                .filter(n -> !(n.kind() == Notice.Kind.COMMAND_FAILED
                        && "you need to load the kernel first".equals(n.message())))
                .toList(), label, out, skipped);
        boolean acted = !boot.commands().isEmpty()
                || run.notices().stream().anyMatch(n -> n.kind() == Notice.Kind.HALTED);
        if (!acted) {
            out.add(new Diagnostic(Severity.WARNING, entry.position(), label, "the entry runs no boot command"
                    + " (linux, multiboot2, chainloader, ...): choosing it boots nothing", "no-boot"));
        }
    }

    private static String orderMessage(RecordingBootCommands.Result result) {
        String name = result.command().name();
        Optional<RecordingBootCommands.Loader> before = result.loadedBefore();
        String wants = switch (name) {
            case "module" -> "multiboot";
            case "module2" -> "multiboot2";
            case "boot" -> "a kernel";
            case "initrd16" -> "linux16";
            default -> "linux";
        };
        String context = before.map(l -> " but " + switch (l) {
            case MULTIBOOT -> "`multiboot'";
            case MULTIBOOT2 -> "`multiboot2'";
            case LINUX -> "`linux'";
            case LINUX16 -> "`linux16'";
            case CHAINLOADER -> "`chainloader'";
            case OTHER -> "another loader";
        } + " loaded the kernel").orElse(" and none is loaded (or loading it failed)");
        if ("module".equals(name) && before.orElse(null) == RecordingBootCommands.Loader.MULTIBOOT2) {
            context += "; use module2 with multiboot2";
        } else if ("module2".equals(name) && before.orElse(null) == RecordingBootCommands.Loader.MULTIBOOT) {
            context += "; use module with multiboot";
        } else if ("initrd16".equals(name) && before.orElse(null) == RecordingBootCommands.Loader.LINUX) {
            context += "; use initrd with linux";
        } else if ("initrd".equals(name) && before.orElse(null) == RecordingBootCommands.Loader.LINUX16) {
            context += "; use initrd16 with linux16";
        }
        return "`" + name + "' needs " + ("boot".equals(name) ? wants : "`" + wants + "'") + " first" + context
                + " (GRUB: you need to load the kernel first)";
    }

    private static void notices(List<Notice> notices, String entry, List<Diagnostic> out, int[] skipped) {
        Notice previous = null;
        for (Notice notice : notices) {
            boolean repeatsBadOptions = previous != null && previous.kind() == Notice.Kind.BAD_OPTIONS
                    && previous.position().equals(notice.position()) && previous.message().equals(notice.message());
            previous = notice;
            if (repeatsBadOptions) {
                continue;
            }
            switch (notice.kind()) {
                case COMMAND_FAILED -> out.add(new Diagnostic(Severity.ERROR, notice.position(), entry,
                        notice.message(), "command-failed"));
                case UNKNOWN_COMMAND -> out.add(new Diagnostic(Severity.ERROR, notice.position(), entry,
                        notice.message() + " (GRUB prints an error and goes on)", "unknown-command"));
                case BAD_OPTIONS -> out.add(new Diagnostic(Severity.ERROR, notice.position(), entry,
                        notice.message(), "bad-option"));
                case SYNTAX_ERROR -> out.add(new Diagnostic(Severity.ERROR, notice.position(), entry,
                        notice.message(), "syntax"));
                case LIMIT -> out.add(new Diagnostic(Severity.ERROR, notice.position(), entry, notice.message(),
                        "limit"));
                case DISK_SKIPPED -> skipped[0]++;
                case HALTED -> { }
                default -> { }
            }
        }
    }

    private static void checkMenu(Menu menu, String where, List<Diagnostic> out, Position first) {
        if (menu.items().isEmpty()) {
            out.add(new Diagnostic(Severity.WARNING, first, where, where.isEmpty()
                    ? "the config defines no menu entries (GRUB starts its command line)"
                    : "the submenu has no entries (GRUB does not open it)", "empty-menu"));
            return;
        }
        Position at = menu.items().get(0).position();
        menu.defaultEntry().filter(d -> !d.isEmpty()).ifPresent(d -> {
            if (!names(menu, d)) {
                out.add(new Diagnostic(Severity.ERROR, at, where, "default `" + d + "' names no menu entry"
                        + (where.isEmpty() ? "" : " of this submenu") + " (GRUB then boots entry 0)", "default"));
            }
        });
        menu.fallback().ifPresent(f -> {
            for (String part : f.trim().split("\\s+")) {
                if (part.isEmpty()) {
                    continue;
                }
                Long n = Selectors.strtoul(part);
                if (n == null || n >= menu.items().size()) {
                    out.add(new Diagnostic(Severity.ERROR, at, where, "fallback `" + part + "' names no menu entry"
                            + " (GRUB 2.06 takes only entry numbers here)", "fallback"));
                }
            }
        });
        Map<String, MenuItem> ids = new HashMap<>();
        for (MenuItem item : menu.items()) {
            if (item.id().equals(item.title())) {
                continue;
            }
            MenuItem previous = ids.putIfAbsent(item.id(), item);
            if (previous != null) {
                out.add(new Diagnostic(Severity.WARNING, item.position(), label(item), "duplicate --id `" + item.id()
                        + "' (also " + label(previous) + " at " + previous.position() + "); default/saved_entry"
                        + " finds only the first", "duplicate-id"));
            }
        }
        for (MenuItem item : menu.items()) {
            if (item instanceof Submenu submenu) {
                checkMenu(submenu.menu(), label(submenu), out, submenu.position());
            }
        }
    }

    /** Whether a default selector names an item, following {@code >} paths into submenus. */
    private static boolean names(Menu menu, String selector) {
        int index = menu.indexOf(selector);
        if (index < 0) {
            return false;
        }
        String rest = Selectors.rest(selector);
        MenuItem item = menu.items().get(index);
        if (rest == null) {
            return true;
        }
        return item instanceof Submenu submenu && names(submenu.menu(), rest);
    }
}
