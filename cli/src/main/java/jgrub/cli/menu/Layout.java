package jgrub.cli.menu;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The screen of GRUB's text menu (grub-core/normal/menu_text.c, include/grub/term.h), as lines: the title on row 1,
 * a box from row 3 whose width is the terminal's less 4 columns, one entry per row with the highlighted one in
 * reverse video and marked {@code *} (as Debian's GRUB marks it for serial consoles), scroll arrows right of the box,
 * help text indented 6 columns below it, and the countdown on the third row from the bottom, indented 3.
 */
final class Layout {

    /** include/grub/term.h: GRUB_TERM_MARGIN. */
    static final int MARGIN = 1;
    /** GRUB_TERM_TOP_BORDER_Y: margin, one info line, margin. */
    static final int TOP_BORDER_Y = 3;
    /** Rows below the box GRUB keeps for messages (GRUB_TERM_MESSAGE_HEIGHT). */
    static final int MESSAGE_HEIGHT = 8;
    /** normal/menu_text.c: STANDARD_MARGIN, the indentation of the help text. */
    static final int STANDARD_MARGIN = 6;
    /** normal/menu.c: GRUB_MENU_PAGE_SIZE, what Page Up/Down move. */
    static final int PAGE_SIZE = 10;

    static final String MENU_HELP = "Use the ^ and v keys to select which entry is highlighted.";
    static final String MENU_BOOT = "Press enter to boot the selected OS, `e' to edit the commands before booting"
            + " or `c' for a command-line.";
    static final String MENU_BOOT_NESTED = MENU_BOOT + " ESC to return previous menu.";
    static final String EDIT_HELP = "Minimum Emacs-like screen editing is supported. Press"
            + " Ctrl-x or F10 to boot, Ctrl-c or F2 for a command-line or ESC to discard edits and return to the GRUB"
            + " menu.";
    static final String TIMEOUT = "The highlighted entry will be executed automatically in %ds.";

    private Layout() {
    }

    /** grub_term_num_entries: how many entries the box shows (at least one). */
    static int visibleEntries(int height) {
        return Math.max(1, height - TOP_BORDER_Y - 2 - MESSAGE_HEIGHT);
    }

    /** grub_term_border_width. */
    static int borderWidth(int width) {
        return Math.max(10, width - MARGIN * 3 - 1);
    }

    /** The first entry shown so that {@code selected} is visible, scrolling as menu_text_set_chosen_entry does. */
    static int scroll(int first, int selected, int visible) {
        if (selected < first) {
            return selected;
        }
        if (selected > first + visible - 1) {
            return selected - (visible - 1);
        }
        return first;
    }

    /** The menu page: {@code rows} are the entry titles, {@code selected} the highlighted one. */
    static List<AttributedString> menu(int width, int height, String title, List<String> rows, int first,
            int selected, boolean nested, Integer timeout) {
        List<AttributedString> screen = page(width, height, title);
        int visible = visibleEntries(height);
        int border = borderWidth(width);
        for (int i = 0; i < visible; i++) {
            int index = first + i;
            String text = index < rows.size() ? rows.get(index) : null;
            boolean highlight = index == selected && text != null;
            AttributedStringBuilder line = new AttributedStringBuilder();
            line.append(" \u2502");
            line.style(highlight ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT);
            line.append(fit((highlight ? "*" : " ") + (text == null ? "" : text), border - 2));
            line.style(AttributedStyle.DEFAULT);
            line.append("\u2502");
            if (i == 0 && first > 0) {
                line.append("\u2191");
            } else if (i == visible - 1 && first + visible < rows.size()) {
                line.append("\u2193");
            }
            screen.set(TOP_BORDER_Y + 1 + i, line.toAttributedString());
        }
        int y = TOP_BORDER_Y + visible + 3;
        y = message(screen, y, width, MENU_HELP);
        message(screen, y, width, nested ? MENU_BOOT_NESTED : MENU_BOOT);
        if (timeout != null) {
            screen.set(height - 3, new AttributedString("   " + String.format(TIMEOUT, timeout)));
        }
        return screen;
    }

    /**
     * The editor page: the lines of the body from {@code firstLine}; the cursor's line is scrolled right by
     * {@code column0} so that the cursor stays in the box, the others start at their first column.
     */
    static List<AttributedString> editor(int width, int height, String title, List<String> lines, int firstLine,
            int cursorRow, int column0) {
        List<AttributedString> screen = page(width, height, title);
        int visible = visibleEntries(height);
        int border = borderWidth(width);
        for (int i = 0; i < visible; i++) {
            int index = firstLine + i;
            String text = index < lines.size() ? lines.get(index) : "";
            if (index == cursorRow) {
                text = column0 < text.length() ? text.substring(column0) : "";
            }
            StringBuilder line = new StringBuilder(" \u2502").append(fit(" " + text, border - 2)).append('\u2502');
            if (i == 0 && firstLine > 0) {
                line.append('\u2191');
            } else if (i == visible - 1 && firstLine + visible < lines.size()) {
                line.append('\u2193');
            }
            screen.set(TOP_BORDER_Y + 1 + i, new AttributedString(line));
        }
        message(screen, TOP_BORDER_Y + visible + 3, width, EDIT_HELP);
        return screen;
    }

    /** Screen column of the first character of the box's text: after the border and a space. */
    static int textColumn() {
        return MARGIN + 2;
    }

    /** How many characters of a line the box shows. */
    static int textWidth(int width) {
        return borderWidth(width) - 3;
    }

    /** A cleared page with GRUB's title line and the empty box. */
    private static List<AttributedString> page(int width, int height, String title) {
        List<AttributedString> screen = new ArrayList<>();
        for (int i = 0; i < height; i++) {
            screen.add(AttributedString.EMPTY);
        }
        screen.set(1, new AttributedString(" ".repeat(Math.max(0, (width - title.length()) / 2)) + title));
        int border = borderWidth(width);
        int visible = visibleEntries(height);
        screen.set(TOP_BORDER_Y, new AttributedString(" \u250c" + "\u2500".repeat(border - 2) + "\u2510"));
        for (int i = 0; i < visible; i++) {
            screen.set(TOP_BORDER_Y + 1 + i, new AttributedString(" \u2502" + " ".repeat(border - 2) + "\u2502"));
        }
        screen.set(TOP_BORDER_Y + visible + 1,
                new AttributedString(" \u2514" + "\u2500".repeat(border - 2) + "\u2518"));
        return screen;
    }

    /** Text cut or padded to {@code width}; a cut title ends in an arrow, as print_entry does. */
    static String fit(String text, int width) {
        if (text.length() > width) {
            return text.substring(0, Math.max(0, width - 1)) + "\u2192";
        }
        return text + " ".repeat(width - text.length());
    }

    /** grub_print_message_indented: word-wrapped between margins of 6; returns the next free row. */
    static int message(List<AttributedString> screen, int y, int width, String text) {
        for (String line : wrap(text, Math.max(10, width - 2 * STANDARD_MARGIN))) {
            if (y < screen.size()) {
                screen.set(y, new AttributedString(" ".repeat(STANDARD_MARGIN) + line));
            }
            y++;
        }
        return y;
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
