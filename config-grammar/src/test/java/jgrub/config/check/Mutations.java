package jgrub.config.check;

import java.util.Random;

/** Small random edits of a config: the kinds of damage hand edits and broken generators do. */
final class Mutations {

    private static final String[] INSERTS = {"fi", "done", "}", "{", "&&", "||", "|", ";", ";;", "\"", "'", "$",
        "${", "then", "else", "if", "do", "[[", "\\", "\n", "#", "function f {", "$\"", "<", "esac", "`"};

    private Mutations() {
    }

    static String mutate(String text, Random random) {
        if (text.isEmpty()) {
            return INSERTS[random.nextInt(INSERTS.length)];
        }
        int at = random.nextInt(text.length());
        switch (random.nextInt(5)) {
            case 0: {
                String insert = INSERTS[random.nextInt(INSERTS.length)];
                return text.substring(0, at) + insert + text.substring(at);
            }
            case 1: {
                int end = Math.min(text.length(), at + 1 + random.nextInt(20));
                return text.substring(0, at) + text.substring(end);
            }
            case 2: {
                int lineStart = text.lastIndexOf('\n', at) + 1;
                int lineEnd = text.indexOf('\n', at);
                lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
                return text.substring(0, lineStart) + text.substring(lineEnd);
            }
            case 3:
                return text.substring(0, at);
            default: {
                int lineStart = text.lastIndexOf('\n', at) + 1;
                int lineEnd = text.indexOf('\n', at);
                lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
                String line = text.substring(lineStart, lineEnd);
                return text.substring(0, lineEnd) + line + text.substring(lineEnd);
            }
        }
    }
}
