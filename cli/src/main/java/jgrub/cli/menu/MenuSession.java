package jgrub.cli.menu;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.Evaluation;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Submenu;
import jgrub.multiboot.LoaderIdentity;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;

/**
 * GRUB's interactive menu in the terminal (grub-core/normal/menu.c run_menu, menu_text.c, menu_entry.c, cmdline.c):
 * the entries and submenus of an evaluated config, the default highlighted, {@code timeout}/{@code timeout_style}
 * honoured, arrows, Home/End, Page Up/Down (and GRUB's {@code ^}, {@code v}, Ctrl-p/n/a/e/g keys), Enter boots or
 * opens a submenu, Esc goes back, hotkeys, {@code e} edits an entry for this boot, {@code c} opens a command line.
 * Ctrl-c leaves without booting (GRUB has no way out; a terminal user needs one).
 *
 * <p>{@code jgrub boot} calls {@link #wanted} and then {@link #choose(Evaluation, DiskView, boolean)}, and runs the
 * {@link MenuChoice} it returns with {@link MenuChoice#run}.
 */
public final class MenuSession {

    /** normal/menu.c: how the timeout is shown. */
    enum Style { MENU, COUNTDOWN, HIDDEN }

    private final Terminal terminal;
    private final Evaluation evaluation;
    private final DiskView disk;
    private final String title;
    private final Keys keys;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private volatile boolean resized;
    private Size size;
    private Integer timeout;
    private GrubCommandLine commandLine;

    /** One open menu level: what it shows and where its highlight and scroll are. */
    private static final class Frame {
        final Menu menu;
        int selected;
        int first;

        Frame(Menu menu, int selected) {
            this.menu = menu;
            this.selected = selected;
        }
    }

    MenuSession(Terminal terminal, Evaluation evaluation, DiskView disk) {
        this.terminal = terminal;
        this.evaluation = evaluation;
        this.disk = disk;
        this.title = "jgrub  version " + LoaderIdentity.version();
        this.keys = new Keys(terminal);
    }

    /** Whether standard input and output are both a terminal (Java 17: {@link System#console()} is null otherwise). */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    /**
     * Whether {@code jgrub boot} should show the menu: never with {@code --entry} or off a terminal; with
     * {@code --menu} always; else when the config does not boot at once ({@code timeout} other than 0).
     */
    public static boolean wanted(Menu menu, boolean forceMenu, boolean entryGiven) {
        if (entryGiven || !onTerminal() || menu.items().isEmpty()) {
            return false;
        }
        return forceMenu || menu.timeout().map(t -> t != 0).orElse(true);
    }

    /**
     * Shows the menu of {@code evaluation} on the process's terminal until something is chosen; empty when the person
     * left with Ctrl-c. {@code forceMenu} shows the full menu without a countdown whatever the config says.
     */
    public static Optional<MenuChoice> choose(Evaluation evaluation, DiskView disk, boolean forceMenu)
            throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).jna(false).jansi(false).build()) {
            if (java.nio.charset.StandardCharsets.UTF_8.equals(terminal.encoding())) {
                // JLine draws box characters with the terminal's line-drawing charset unless told the terminal has
                // them; a UTF-8 terminal has them, and its text copies (tmux capture-pane) then read as boxes.
                System.setProperty(TerminalBuilder.PROP_DISABLE_ALTERNATE_CHARSET, "true");
            }
            return new MenuSession(terminal, evaluation, disk).run(forceMenu);
        }
    }

    Optional<MenuChoice> run(boolean forceMenu) throws IOException {
        Menu top = evaluation.menu();
        if (top.items().isEmpty()) {
            return Optional.empty();
        }
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler oldWinch = terminal.handle(Terminal.Signal.WINCH, s -> resized = true);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.flush();
        try {
            return Optional.ofNullable(loop(top, forceMenu));
        } finally {
            terminal.puts(Capability.cursor_normal);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.handle(Terminal.Signal.WINCH, oldWinch);
            terminal.setAttributes(saved);
        }
    }

    private MenuChoice loop(Menu top, boolean forceMenu) throws IOException {
        frames.push(new Frame(top, defaultIndex(top)));
        Style style = style(top);
        timeout = forceMenu ? null : top.timeout().orElse(null);
        if (timeout != null && timeout == 0) {
            return timedOut(top);
        }
        if (timeout != null && style != Style.MENU) {
            MenuChoice quiet = quietWait(top, style);
            if (quiet != null) {
                return quiet;
            }
        }
        resize();
        long tick = System.currentTimeMillis() + 1000;
        boolean dirty = true;
        while (true) {
            if (resized) {
                resize();
                dirty = true;
            }
            if (dirty) {
                renderMenu();
                dirty = false;
            }
            long wait = timeout == null ? 200 : Math.max(1, tick - System.currentTimeMillis());
            Keys.Press press = keys.read(Math.min(wait, 200));
            if (press == null) {
                if (timeout != null && System.currentTimeMillis() >= tick) {
                    timeout--;
                    tick += 1000;
                    dirty = true;
                    if (timeout <= 0) {
                        return timedOut(top);
                    }
                }
                continue;
            }
            dirty = true;
            timeout = null;
            Frame frame = frames.peek();
            List<MenuItem> items = frame.menu.items();
            switch (press.key()) {
                case HOME, CTRL_A -> frame.selected = 0;
                case END, CTRL_E -> frame.selected = items.size() - 1;
                case UP, CTRL_P -> frame.selected = Math.max(0, frame.selected - 1);
                case DOWN, CTRL_N -> frame.selected = Math.min(items.size() - 1, frame.selected + 1);
                case PAGE_UP, CTRL_G -> frame.selected = Math.max(0, frame.selected - Layout.PAGE_SIZE);
                case PAGE_DOWN -> frame.selected = Math.min(items.size() - 1, frame.selected + Layout.PAGE_SIZE);
                case ENTER, CTRL_F -> {
                    MenuChoice choice = enter(items.get(frame.selected));
                    if (choice != null) {
                        return choice;
                    }
                }
                case ESC -> {
                    if (frames.size() > 1) {
                        frames.pop();
                    }
                }
                case CTRL_C -> {
                    return null;
                }
                case CHAR -> {
                    MenuChoice choice = character(press.ch(), frame);
                    if (choice != null) {
                        return choice;
                    }
                }
                default -> { }
            }
        }
    }

    private MenuChoice character(int ch, Frame frame) throws IOException {
        List<MenuItem> items = frame.menu.items();
        switch (ch) {
            case '^' -> frame.selected = Math.max(0, frame.selected - 1);
            case 'v' -> frame.selected = Math.min(items.size() - 1, frame.selected + 1);
            case 'e' -> {
                if (items.get(frame.selected) instanceof MenuEntry entry) {
                    return edit(entry);
                }
            }
            case 'c' -> {
                return commandLine();
            }
            default -> {
                int hot = hotkey(frame.menu, ch);
                if (hot >= 0) {
                    frame.selected = hot;
                    return enter(items.get(hot));
                }
            }
        }
        return null;
    }

    /** Enter on an item: an entry is chosen, a submenu opens on its own default. */
    private MenuChoice enter(MenuItem item) {
        if (item instanceof Submenu submenu) {
            if (!submenu.menu().items().isEmpty()) {
                frames.push(new Frame(submenu.menu(), defaultIndex(submenu.menu())));
            }
            return null;
        }
        return new MenuChoice.Entry(item.path(), item.title(), false);
    }

    private MenuChoice timedOut(Menu top) {
        String path = top.defaultPath().orElse("0");
        return new MenuChoice.Entry(path, top.at(path).map(MenuItem::title).orElse(""), true);
    }

    /**
     * timeout_style countdown or hidden: no menu; the seconds left (countdown) at the top left as GRUB prints them.
     * Esc shows the menu without a timeout, a hotkey boots its entry, and the default boots when time is up.
     */
    private MenuChoice quietWait(Menu top, Style style) throws IOException {
        resize();
        long tick = System.currentTimeMillis() + 1000;
        while (true) {
            List<AttributedString> lines = blank();
            if (style == Style.COUNTDOWN) {
                lines.set(0, new AttributedString(timeout + "    "));
            }
            paint(lines, -1, -1);
            Keys.Press press = keys.read(Math.max(1, tick - System.currentTimeMillis()));
            if (press == null) {
                if (System.currentTimeMillis() >= tick) {
                    tick += 1000;
                    if (--timeout <= 0) {
                        return timedOut(top);
                    }
                }
                continue;
            }
            if (press.key() == Keys.Key.ESC) {
                timeout = null;
                return null;
            }
            if (press.key() == Keys.Key.CHAR) {
                int hot = hotkey(top, press.ch());
                if (hot >= 0) {
                    frames.peek().selected = hot;
                    MenuChoice choice = enter(top.items().get(hot));
                    if (choice != null) {
                        return choice;
                    }
                    timeout = null;
                    return null;
                }
            }
        }
    }

    /** The editor ({@code e}): Ctrl-x or F10 boots the edited text, Esc discards it. */
    private MenuChoice edit(MenuEntry entry) throws IOException {
        EditBuffer buffer = new EditBuffer(EditBuffer.forEntry(entry.args(), entry.body().text()));
        int firstLine = 0;
        int column0 = 0;
        while (true) {
            if (resized) {
                resize();
            }
            int visible = Layout.visibleEntries(size.getRows());
            int width = Layout.textWidth(size.getColumns());
            firstLine = Layout.scroll(firstLine, buffer.row(), visible);
            if (buffer.column() < column0) {
                column0 = buffer.column();
            } else if (buffer.column() >= column0 + width) {
                column0 = buffer.column() - width + 1;
            }
            paint(Layout.editor(size.getColumns(), size.getRows(), title, buffer.lines(), firstLine,
                    buffer.row(), column0),
                    Layout.TOP_BORDER_Y + 1 + buffer.row() - firstLine, Layout.textColumn() + buffer.column() - column0);
            Keys.Press press = keys.read(200);
            if (press == null) {
                continue;
            }
            switch (press.key()) {
                case UP, CTRL_P -> buffer.up();
                case DOWN, CTRL_N -> buffer.down();
                case LEFT, CTRL_B -> buffer.left();
                case RIGHT, CTRL_F -> buffer.right();
                case HOME, CTRL_A -> buffer.home();
                case END, CTRL_E -> buffer.end();
                case BACKSPACE -> buffer.backspace();
                case DELETE, CTRL_D -> buffer.delete();
                case CTRL_K -> buffer.killLine();
                case ENTER -> buffer.newline();
                case CTRL_X, F10 -> {
                    return new MenuChoice.EditedEntry(entry, buffer.text());
                }
                case ESC -> {
                    return null;
                }
                case CTRL_C, F2 -> {
                    MenuChoice choice = commandLine();
                    if (choice != null) {
                        return choice;
                    }
                }
                case CHAR -> {
                    if (press.ch() != 0) {
                        buffer.insert(press.ch());
                    }
                }
                default -> { }
            }
        }
    }

    /** The command line ({@code c}): on the normal screen, as GRUB clears its menu for it. */
    private MenuChoice commandLine() throws IOException {
        if (commandLine == null) {
            commandLine = new GrubCommandLine(terminal, evaluation, disk);
        }
        terminal.puts(Capability.clear_screen);
        terminal.puts(Capability.cursor_normal);
        terminal.flush();
        MenuChoice choice = commandLine.run(title);
        terminal.enterRawMode();
        resized = true;
        return choice;
    }

    private void renderMenu() {
        Frame frame = frames.peek();
        List<String> rows = new ArrayList<>();
        for (MenuItem item : frame.menu.items()) {
            rows.add(item.title());
        }
        int visible = Layout.visibleEntries(size.getRows());
        frame.first = Layout.scroll(frame.first, frame.selected, visible);
        paint(Layout.menu(size.getColumns(), size.getRows(), title, rows, frame.first, frame.selected,
                frames.size() > 1, timeout), -1, -1);
    }

    /**
     * Writes the whole screen, each line then clear-to-end-of-line, and puts the cursor at ({@code row},
     * {@code column}) or hides it. A screen is 2 KiB and changes only on a key or a tick, so diffing would gain
     * nothing.
     */
    private void paint(List<AttributedString> lines, int row, int column) {
        terminal.puts(Capability.cursor_invisible);
        for (int i = 0; i < lines.size() && i < size.getRows(); i++) {
            terminal.puts(Capability.cursor_address, i, 0);
            AttributedString line = lines.get(i);
            if (line.columnLength() >= size.getColumns()) {
                line = line.columnSubSequence(0, size.getColumns() - 1);
            }
            terminal.writer().write(line.toAnsi(terminal));
            terminal.puts(Capability.clr_eol);
        }
        if (row >= 0) {
            terminal.puts(Capability.cursor_address, row, column);
            terminal.puts(Capability.cursor_normal);
        }
        terminal.flush();
    }

    private void resize() {
        resized = false;
        size = terminal.getSize();
        if (size.getRows() <= 0 || size.getColumns() <= 0) {
            size = new Size(80, 25);
        }
        terminal.puts(Capability.clear_screen);
    }

    private List<AttributedString> blank() {
        List<AttributedString> lines = new ArrayList<>();
        for (int i = 0; i < size.getRows(); i++) {
            lines.add(AttributedString.EMPTY);
        }
        return lines;
    }

    /** The index run_menu highlights first: {@code default} in this menu, else 0. */
    static int defaultIndex(Menu menu) {
        int index = menu.defaultEntry().map(menu::indexOf).orElse(0);
        return index < 0 || index >= menu.items().size() ? 0 : index;
    }

    /** normal/menu.c get_timeout_style: menu unless the variable names another style. */
    static Style style(Menu menu) {
        String value = menu.timeoutStyle().orElse("menu");
        return switch (value) {
            case "countdown" -> Style.COUNTDOWN;
            case "hidden" -> Style.HIDDEN;
            default -> Style.MENU;
        };
    }

    /** get_entry_index_by_hotkey: the first item whose hotkey is this key; names as GRUB's hotkey_aliases. */
    static int hotkey(Menu menu, int ch) {
        List<MenuItem> items = menu.items();
        for (int i = 0; i < items.size(); i++) {
            Optional<String> hot = items.get(i).hotkey();
            if (hot.isEmpty()) {
                continue;
            }
            String h = hot.get();
            int key = switch (h) {
                case "backspace" -> '\b';
                case "tab" -> '\t';
                case "delete" -> 0x7f;
                default -> h.codePointCount(0, h.length()) == 1 ? h.codePointAt(0) : -1;
            };
            if (key == ch) {
                return i;
            }
        }
        return -1;
    }
}
