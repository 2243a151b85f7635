package jgrub.cli.menu;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of an entry being edited (grub-core/normal/menu_entry.c): lines and a cursor, with the Emacs-like moves
 * GRUB's editor has. Tabs are shown and kept as 8 spaces, which the script language treats alike.
 */
final class EditBuffer {

    private final List<StringBuilder> lines = new ArrayList<>();
    private int row;
    private int column;

    EditBuffer(String text) {
        for (String line : text.replace("\t", "        ").split("\n", -1)) {
            lines.add(new StringBuilder(line));
        }
        if (lines.isEmpty()) {
            lines.add(new StringBuilder());
        }
    }

    /**
     * What GRUB puts in the editor for an entry: {@code setparams} with the entry's arguments when it has any (so
     * the edited text sets the same positional parameters), then the body without its surrounding blank lines.
     */
    static String forEntry(List<String> args, String body) {
        String text = body.replaceAll("^\\s*\\n", "").replaceAll("\\s+$", "");
        if (args.isEmpty()) {
            return text;
        }
        StringBuilder setparams = new StringBuilder("setparams");
        for (String arg : args) {
            setparams.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return setparams + "\n\n" + text;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(lines.get(i)).append(i + 1 < lines.size() ? "\n" : "");
        }
        return out.toString();
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> out.add(l.toString()));
        return out;
    }

    int row() {
        return row;
    }

    int column() {
        return column;
    }

    private StringBuilder line() {
        return lines.get(row);
    }

    void insert(int codePoint) {
        String s = new String(Character.toChars(codePoint));
        line().insert(column, s);
        column += s.length();
    }

    void newline() {
        String rest = line().substring(column);
        line().setLength(column);
        lines.add(row + 1, new StringBuilder(rest));
        row++;
        column = 0;
    }

    void backspace() {
        if (column > 0) {
            line().deleteCharAt(--column);
        } else if (row > 0) {
            String rest = line().toString();
            lines.remove(row--);
            column = line().length();
            line().append(rest);
        }
    }

    void delete() {
        if (column < line().length()) {
            line().deleteCharAt(column);
        } else if (row + 1 < lines.size()) {
            line().append(lines.remove(row + 1));
        }
    }

    /** Ctrl-k: the rest of the line, or the line break at its end. */
    void killLine() {
        if (column < line().length()) {
            line().setLength(column);
        } else {
            delete();
        }
    }

    void left() {
        if (column > 0) {
            column--;
        } else if (row > 0) {
            row--;
            column = line().length();
        }
    }

    void right() {
        if (column < line().length()) {
            column++;
        } else if (row + 1 < lines.size()) {
            row++;
            column = 0;
        }
    }

    void up() {
        if (row > 0) {
            row--;
            column = Math.min(column, line().length());
        }
    }

    void down() {
        if (row + 1 < lines.size()) {
            row++;
            column = Math.min(column, line().length());
        }
    }

    void home() {
        column = 0;
    }

    void end() {
        column = line().length();
    }
}
