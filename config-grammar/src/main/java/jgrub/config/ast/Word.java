package jgrub.config.ast;

import java.util.List;

/**
 * One word of a command as written: its parts in order ({@code a"b c"$d} is unquoted {@code a}, double-quoted
 * {@code b c}, variable {@code d}) and its source text. A word may expand to no argument, one, or several.
 */
public record Word(List<WordPart> parts, String text, Position position) {

    public Word {
        parts = List.copyOf(parts);
    }

    /** The word's value when it has no variables or gettext parts, else null: a keyword or a literal option. */
    public String literal() {
        StringBuilder out = new StringBuilder();
        for (WordPart part : parts) {
            if (!(part instanceof WordPart.Literal literal)) {
                return null;
            }
            out.append(literal.quoting() == WordPart.Quoting.NONE ? unescape(literal.text()) : literal.text());
        }
        return out.toString();
    }

    /** Removes GRUB's backslash escapes from unquoted text: {@code \x} becomes {@code x}. */
    public static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
