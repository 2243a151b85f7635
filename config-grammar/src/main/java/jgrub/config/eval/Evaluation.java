package jgrub.config.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.config.ast.Position;
import jgrub.config.grammar.DeepStack;
import jgrub.config.grammar.SyntaxError;
import jgrub.config.menu.EntryBody;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Selectors;

/**
 * A config after GRUB ran it: the menu it built, what it printed and noticed, and the state entries run in. Entries
 * run as GRUB runs them when chosen: {@link #run(String, BootCommands)} takes a {@code default}-style selector. Every
 * run starts from the state the config left, so runs do not affect each other.
 */
public final class Evaluation {

    private final Interpreter state;
    private final List<Interpreter.RawItem> items;
    private final Menu menu;
    private final List<SyntaxError> syntaxErrors;
    private final List<Notice> notices;
    private final String output;
    private final boolean hasCommands;
    private final Optional<LoadedConfig> menuConfig;
    /** The state each submenu's body left (by the submenu's path), to run its entries from. */
    private final Map<String, Interpreter> submenuStates = new java.util.HashMap<>();

    Evaluation(Interpreter state, List<Interpreter.RawItem> items, List<SyntaxError> syntaxErrors,
            boolean hasCommands, Optional<LoadedConfig> menuConfig) {
        this.state = state;
        this.menuConfig = menuConfig;
        this.items = List.copyOf(items);
        this.syntaxErrors = List.copyOf(syntaxErrors);
        this.notices = List.copyOf(state.notices);
        this.output = state.output.toString();
        this.hasCommands = hasCommands;
        this.menu = DeepStack.get(() -> build(state, this.items, "", submenuStates));
    }

    /** The menu GRUB shows, submenus expanded (each submenu body run in its own context, as when it is chosen). */
    public Menu menu() {
        return menu;
    }

    /**
     * The config whose menu GRUB shows instead of this one's, when this config (or a file it sourced) ran
     * {@code configfile}: Debian's ESP stub ends in {@code configfile $prefix/grub.cfg}. Empty when the menu is this
     * config's own.
     */
    public Optional<LoadedConfig> menuConfig() {
        return menuConfig;
    }

    /** Syntax errors of the config file itself. */
    public List<SyntaxError> syntaxErrors() {
        return syntaxErrors;
    }

    /** Whether the config has a command at all ({@code grub-script-check} rejects one without). */
    public boolean hasCommands() {
        return hasCommands;
    }

    /** What running the config noticed, in order (sourced files and submenu bodies included). */
    public List<Notice> notices() {
        return notices;
    }

    /** What GRUB printed while running the config. */
    public String output() {
        return output;
    }

    /** The variables after the config ran. */
    public Map<String, String> variables() {
        return state.env.sorted();
    }

    /** The environment blocks {@code save_env} wrote, by GRUB path: copies only, the disk is not written. */
    public Map<String, String> savedEnvironmentBlocks() {
        return Map.copyOf(state.envBlockWrites);
    }

    /** Runs the entry GRUB boots without a key press: {@code $default}, or entry 0. */
    public EntryRun runDefault(BootCommands boot) {
        return run(menu.defaultEntry().orElse("0"), boot);
    }

    /**
     * Runs the entry a selector names, as GRUB does when {@code default} holds it: an index, a title, an id, or a
     * path through submenus such as {@code 1>2} or {@code gnulinux-advanced-X>gnulinux-6.1-advanced-X}. Each
     * submenu on the way runs its body with {@code $default} set to the rest of the path. Boot commands go to
     * {@code boot}; when the entry's commands are done and something is loaded, {@code boot} follows.
     */
    public EntryRun run(String selector, BootCommands boot) {
        return DeepStack.get(() -> runHere(selector, boot));
    }

    /**
     * Runs an entry with its body replaced by {@code editedBody}, as GRUB does after {@code e} and Ctrl-x: the edit
     * applies to this run only. The text runs where the entry would (as {@link #run(MenuEntry, BootCommands)}), with
     * the entry's positional parameters; positions in notices point into the edited text.
     */
    public EntryRun runEdited(MenuEntry entry, String editedBody, BootCommands boot) {
        return DeepStack.get(() -> runEntryHere(entry, new EntryBody(editedBody, Optional.empty(),
                new Position("(edited entry " + entry.path() + ")", 1, 1)), boot));
    }

    /**
     * A GRUB command line ({@code c} in the menu) in the state the config left: each {@link Shell#run} evaluates a
     * line there and keeps what it changed (variables, functions, loaded modules) for the next. Boot commands go to
     * {@code boot}. Nothing leaks back into this evaluation.
     */
    public Shell shell(BootCommands boot) {
        return new Shell(state.fork(boot));
    }

    /**
     * Runs one entry of {@link #menu()}, from the state its submenu's body left (or the config's, at the top level):
     * what choosing it in the menu runs. Unlike {@link #run(String, BootCommands)}, submenu bodies are not run again.
     */
    public EntryRun run(MenuEntry entry, BootCommands boot) {
        return DeepStack.get(() -> runEntryHere(entry, entry.body(), boot));
    }

    private EntryRun runEntryHere(MenuEntry entry, EntryBody body, BootCommands boot) {
        String path = entry.path();
        int cut = path.lastIndexOf('>');
        Interpreter parent = cut < 0 ? state : submenuStates.get(path.substring(0, cut));
        Interpreter in = parent.fork(boot);
        int noticesBefore = in.notices.size();
        int outputBefore = in.output.length();
        boolean booted = false;
        try {
            String old = in.env.get("chosen");
            String id = entry.id().replace(">", ">>");
            in.env.set("chosen", old == null ? id : old + ">" + id);
            in.env.unset("default");
            in.runInNewScope(body, entry.args());
            booted = bootIfLoaded(in, boot, entry.position());
        } catch (Interpreter.Halt | Interpreter.MenuShown e) {
            // The entry ended GRUB or replaced the menu.
        }
        return new EntryRun(Optional.of(entry), in.notices.subList(noticesBefore, in.notices.size()),
                in.output.substring(outputBefore), booted, List.of(), in.envBlockWrites);
    }

    /** GRUB's implicit boot after an entry's commands, when something is loaded. */
    private static boolean bootIfLoaded(Interpreter in, BootCommands boot, jgrub.config.ast.Position at) {
        if (!boot.loaded()) {
            return false;
        }
        in.current = at;
        Status status = boot.execute(new BootCommand("boot", List.of(), in.env.get("root"), at));
        in.report(status);
        return status.ok();
    }

    private EntryRun runHere(String selector, BootCommands boot) {
        Interpreter in = state.fork(boot);
        int noticesBefore = in.notices.size();
        int outputBefore = in.output.length();
        List<String> fellBack = new ArrayList<>();
        List<Interpreter.RawItem> level = items;
        String path = "";
        String current = selector;
        MenuEntry chosen = null;
        boolean booted = false;
        try {
            while (true) {
                if (level.isEmpty()) {
                    break;
                }
                int index = current == null ? -1 : indexOf(lookup(state), level, current);
                if (index < 0) {
                    if (current != null && !current.isEmpty()) {
                        fellBack.add("`" + current + "' names no entry" + (path.isEmpty() ? "" : " in submenu " + path)
                                + "; GRUB takes entry 0");
                    }
                    index = 0;
                }
                Interpreter.RawItem item = level.get(index);
                path = path.isEmpty() ? Integer.toString(index) : path + ">" + index;
                String rest = current == null || index < 0 ? null : Selectors.rest(current);
                setChosen(in, item, rest);
                if (item.submenu()) {
                    in.env.open();
                    in.menu = new ArrayList<>();
                    if (rest != null) {
                        in.env.set("default", rest);
                    }
                    in.runInNewScope(item.body(), item.args());
                    level = in.menu;
                    current = in.env.get("default");
                    continue;
                }
                chosen = toEntry(item, path);
                in.runInNewScope(item.body(), item.args());
                booted = bootIfLoaded(in, boot, item.position());
                break;
            }
        } catch (Interpreter.Halt | Interpreter.MenuShown e) {
            // The entry ended GRUB (halt, reboot) or replaced the menu (configfile); its run is over.
        }
        return new EntryRun(Optional.ofNullable(chosen), in.notices.subList(noticesBefore, in.notices.size()),
                in.output.substring(outputBefore), booted, fellBack, in.envBlockWrites);
    }

    private static void setChosen(Interpreter in, Interpreter.RawItem item, String rest) {
        String old = in.env.get("chosen");
        String id = item.id().replace(">", ">>");
        in.env.set("chosen", old == null ? id : old + ">" + id);
        in.env.export("chosen");
        if (rest != null) {
            in.env.set("default", rest);
        } else {
            in.env.unset("default");
        }
    }

    private static int indexOf(Selectors.Lookup lookup, List<Interpreter.RawItem> level, String selector) {
        return Selectors.indexOf(lookup, level.stream().map(Interpreter.RawItem::title).toList(),
                level.stream().map(Interpreter.RawItem::id).toList(), selector);
    }

    /**
     * A config that ran {@code blscfg} is for Fedora's GRUB (no other has the command), whose menu code reads
     * selectors its own way; running the command loads its module, as GRUB autoloads it.
     */
    private static Selectors.Lookup lookup(Interpreter state) {
        return state.modules.contains(BlsConfig.MODULE) ? Selectors.Lookup.FEDORA : Selectors.Lookup.UPSTREAM;
    }

    private static MenuEntry toEntry(Interpreter.RawItem item, String path) {
        return new MenuEntry(path, item.title(), item.id(), item.classes(), item.hotkey(), item.users(),
                item.restricted(), item.args(), item.body(), item.position());
    }

    /** Builds the menu model, running each submenu body in a fresh context of a copy of the state. */
    private static Menu build(Interpreter state, List<Interpreter.RawItem> items, String parentPath,
            Map<String, Interpreter> states) {
        List<MenuItem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Interpreter.RawItem item = items.get(i);
            String path = parentPath.isEmpty() ? Integer.toString(i) : parentPath + ">" + i;
            if (!item.submenu()) {
                out.add(toEntry(item, path));
                continue;
            }
            Interpreter sub = state.fork(new RecordingBootCommands(state.options.disk()));
            sub.env.open();
            sub.menu = new ArrayList<>();
            setChosen(sub, item, null);
            try {
                sub.runInNewScope(item.body(), item.args());
            } catch (Interpreter.Halt | Interpreter.MenuShown e) {
                // A submenu body that halts or calls configfile: keep what it added before.
            }
            state.meter.retained += sub.env.chars() + sub.menuChars;
            states.put(path, sub);
            Menu child = build(sub, sub.menu, path, states);
            out.add(new jgrub.config.menu.Submenu(path, item.title(), item.id(), item.classes(), item.hotkey(),
                    item.users(), item.restricted(), item.args(), item.body(), item.position(), child));
        }
        return settings(state, out);
    }

    private static Menu settings(Interpreter state, List<MenuItem> items) {
        Optional<Integer> timeout = Optional.ofNullable(state.env.get("timeout")).map(Selectors::strtoul)
                .map(v -> (int) Math.min(v, Integer.MAX_VALUE));
        return new Menu(items, Optional.ofNullable(state.env.get("default")),
                Optional.ofNullable(state.env.get("fallback")), timeout,
                Optional.ofNullable(state.env.get("timeout_style")), lookup(state));
    }
}
