package jgrub.config.grammar;

/** Says what is wrong with a word the lexer could not complete: an unterminated quote or a stray '$'. */
final class WordProblems {

    private WordProblems() {
    }

    static String describe(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    return "unterminated single quote (') : it is never closed";
                }
                i = end + 1;
            } else if (c == '"' || c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                boolean gettext = c == '$';
                int j = i + (gettext ? 2 : 1);
                while (j < text.length() && text.charAt(j) != '"') {
                    char d = text.charAt(j);
                    if (d == '\\') {
                        j += 2;
                    } else if (d == '$' && !gettext) {
                        int end = variableEnd(text, j);
                        if (end < 0) {
                            return "`$' inside \"...\" must start a variable: $name, ${name}, $1, $?, $#, $* or $@"
                                    + " (write \\$ for a dollar)";
                        }
                        j = end;
                    } else {
                        j++;
                    }
                }
                if (j >= text.length()) {
                    return gettext ? "unterminated $\"...\" string: the quote is never closed"
                            : "unterminated double quote (\"): it is never closed";
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return "unterminated quote";
    }

    /** End of the variable reference starting with '$' at {@code at}, or -1 when there is none. */
    private static int variableEnd(String text, int at) {
        int i = at + 1;
        boolean braced = i < text.length() && text.charAt(i) == '{';
        if (braced) {
            i++;
        }
        int start = i;
        if (i < text.length() && "?#*@".indexOf(text.charAt(i)) >= 0) {
            i++;
        } else if (i < text.length() && Character.isDigit(text.charAt(i))) {
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
        } else if (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                i++;
            }
        }
        if (i == start) {
            return -1;
        }
        if (braced) {
            return i < text.length() && text.charAt(i) == '}' ? i + 1 : (i == text.length() ? i : -1);
        }
        return i;
    }
}
