package jgrub.machine;

/**
 * A console line as a terminal shows it, for matching {@code --until}: Xen, Linux and getty colour and position text
 * with ECMA-48 escape sequences, and progress lines overwrite themselves after a carriage return.
 */
final class ConsoleText {

    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;

    private ConsoleText() {
    }

    /**
     * {@code line} without escape sequences (CSI {@code ESC [ ... final}, OSC {@code ESC ] ... BEL|ESC \}, and
     * character-set selections such as {@code ESC ( B}, and two-character {@code ESC x}), with a carriage return moving back to the start of the line and a backspace one
     * column left, later characters overwriting earlier ones as on a terminal; other control characters are dropped.
     */
    static String shown(String line) {
        StringBuilder shown = new StringBuilder(line.length());
        int column = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ESC) {
                i = afterEscape(line, i);
                continue;
            }
            i++;
            if (c == '\r') {
                column = 0;
            } else if (c == '\b') {
                column = Math.max(0, column - 1);
            } else if (c == '\t' || c >= ' ' && c != 0x7f) {
                if (column < shown.length()) {
                    shown.setCharAt(column, c);
                } else {
                    shown.append(c);
                }
                column++;
            }
        }
        return shown.toString();
    }

    /** The index after the escape sequence that starts at {@code start}, or the line's end if it is cut short. */
    private static int afterEscape(String line, int start) {
        int i = start + 1;
        if (i >= line.length()) {
            return i;
        }
        char kind = line.charAt(i++);
        if (kind == '[') {
            // ECMA-48 5.4: parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, one final byte 0x40-0x7e.
            while (i < line.length() && line.charAt(i) >= 0x20 && line.charAt(i) <= 0x3f) {
                i++;
            }
            return Math.min(line.length(), i + 1);
        }
        if (kind == ']') {
            while (i < line.length()) {
                char c = line.charAt(i++);
                if (c == BEL) {
                    return i;
                }
                if (c == ESC && i < line.length() && line.charAt(i) == '\\') {
                    return i + 1;
                }
            }
            return i;
        }
        if (kind >= 0x20 && kind <= 0x2f) {
            // ECMA-35 13.2: intermediate bytes, then one final byte (ESC ( B selects a character set).
            while (i < line.length() && line.charAt(i) >= 0x20 && line.charAt(i) <= 0x2f) {
                i++;
            }
            return Math.min(line.length(), i + 1);
        }
        return i;
    }
}
