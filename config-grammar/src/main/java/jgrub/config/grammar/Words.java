package jgrub.config.grammar;

import java.util.ArrayList;
import java.util.List;
import jgrub.config.ast.Position;
import jgrub.config.ast.Word;
import jgrub.config.ast.WordPart;
import org.antlr.v4.runtime.Token;

/**
 * The words of one parse. A word's parts depend on its text alone, and a generated config writes the same few
 * hundred words over and over ({@code insmod}, {@code --class}, {@code "$grub_platform"}, {@code root='hd0,gpt2'}), so
 * each distinct spelling is split once, with GrubWordLexer, and its text and parts (all immutable) are shared by every
 * word written that way. Lookup hashes the characters where they stand in the source; only a new spelling makes a
 * string.
 */
final class Words {

    private final String source;
    private final GrubWordLexer lexer = new GrubWordLexer(SourceChars.of("", null));
    private String[] texts;
    private List<?>[] parts;
    private int size;
    /** Scratch space for {@link #split}, which runs for every new spelling. */
    private final List<WordPart> scratch = new ArrayList<>();
    private final StringBuilder plain = new StringBuilder();
    private final StringBuilder quoted = new StringBuilder();

    Words(String source) {
        this.source = source;
        // A slot per 128 characters: the 150-kernel config (909 KB, 2,100 distinct spellings) never rehashes, and a
        // small body gets a small table.
        int slots = 32;
        while (slots < source.length() / 128 && slots < 1 << 16) {
            slots <<= 1;
        }
        texts = new String[slots];
        parts = new List<?>[slots];
        lexer.removeErrorListeners();
        lexer.setTokenFactory(SourceTokens.INSTANCE);
        lexer.setInterpreter(new EndOfInputSimulator(lexer, GrubWordLexer._ATN, GrubWordLexer._decisionToDFA,
                GrubWordLexer._sharedContextCache));
    }

    /** The word that {@code token} (a WORD, NAME or keyword of GrubLexer, read from the source) spells. */
    @SuppressWarnings("unchecked")
    Word word(Token token, Position position) {
        int start = token.getStartIndex();
        int end = token.getStopIndex() + 1;
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + source.charAt(i);
        }
        int mask = texts.length - 1;
        int slot = (hash ^ (hash >>> 16)) & mask;
        for (String text = texts[slot]; text != null; text = texts[slot]) {
            if (text.length() == end - start && source.startsWith(text, start)) {
                return new Word((List<WordPart>) parts[slot], text, position);
            }
            slot = (slot + 1) & mask;
        }
        String text = source.substring(start, end);
        List<WordPart> split = split(text);
        texts[slot] = text;
        parts[slot] = split;
        if (++size * 2 > texts.length) {
            grow();
        }
        return new Word(split, text, position);
    }

    private void grow() {
        String[] oldTexts = texts;
        List<?>[] oldParts = parts;
        texts = new String[oldTexts.length * 2];
        parts = new List<?>[oldTexts.length * 2];
        int mask = texts.length - 1;
        for (int i = 0; i < oldTexts.length; i++) {
            String text = oldTexts[i];
            if (text != null) {
                int hash = text.hashCode();
                int slot = (hash ^ (hash >>> 16)) & mask;
                while (texts[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                texts[slot] = text;
                parts[slot] = oldParts[i];
            }
        }
    }

    /** Splits one word into parts with GrubWordLexer (GRUB's SPLIT, DQUOTE, SQUOTE, I18NQUOTE and VAR states). */
    List<WordPart> split(String text) {
        if (isPlain(text)) {
            return List.of(new WordPart.Literal(text, WordPart.Quoting.NONE));
        }
        if (isSingleQuotedOnly(text)) {
            return splitSingleQuoted(text);
        }
        return splitWithLexer(text);
    }

    /** GrubWordLexer's split, for any word. */
    List<WordPart> splitWithLexer(String text) {
        List<WordPart> parts = this.scratch;
        StringBuilder plain = this.plain;
        StringBuilder quoted = this.quoted;
        parts.clear();
        plain.setLength(0);
        quoted.setLength(0);
        lexer.setInputStream(SourceChars.of(text, null));
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            // Token text is read from `text` by index: no string per token.
            int start = t.getStartIndex();
            int end = t.getStopIndex() + 1;
            switch (t.getType()) {
                case GrubWordLexer.ESCAPED, GrubWordLexer.LONE_BSLASH, GrubWordLexer.TEXT ->
                        plain.append(text, start, end);
                case GrubWordLexer.VAR -> {
                    flush(parts, plain, WordPart.Quoting.NONE);
                    parts.add(new WordPart.Variable(variableName(text, start, end), false));
                }
                case GrubWordLexer.DQ_OPEN, GrubWordLexer.SQ_OPEN, GrubWordLexer.I18N_OPEN ->
                        flush(parts, plain, WordPart.Quoting.NONE);
                case GrubWordLexer.DQ_DOLLAR -> quoted.append('$');
                case GrubWordLexer.DQ_BSLASH -> quoted.append('\\');
                case GrubWordLexer.DQ_QUOTE, GrubWordLexer.I18N_QUOTE -> quoted.append('"');
                case GrubWordLexer.DQ_TEXT, GrubWordLexer.DQ_OTHER, GrubWordLexer.SQ_TEXT, GrubWordLexer.I18N_TEXT,
                        GrubWordLexer.I18N_OTHER, GrubWordLexer.I18N_BSLASH -> quoted.append(text, start, end);
                case GrubWordLexer.DQ_VAR -> {
                    if (quoted.length() > 0) {
                        parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.DOUBLE));
                        quoted.setLength(0);
                    }
                    parts.add(new WordPart.Variable(variableName(text, start, end), true));
                }
                // A quoted string always yields a quoted literal, even an empty one: "" is an (empty) argument.
                case GrubWordLexer.DQ_CLOSE -> {
                    parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.DOUBLE));
                    quoted.setLength(0);
                }
                case GrubWordLexer.SQ_CLOSE -> {
                    parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.SINGLE));
                    quoted.setLength(0);
                }
                case GrubWordLexer.I18N_CLOSE -> {
                    parts.add(new WordPart.Gettext(quoted.toString()));
                    quoted.setLength(0);
                }
                default -> throw new IllegalStateException("word lexer token " + t.getType() + " in " + text);
            }
        }
        flush(parts, plain, WordPart.Quoting.NONE);
        return List.copyOf(parts);
    }

    /**
     * Whether the only special characters in the word are single quotes. In GrubWordLexer such a word is only TEXT
     * ({@code ~["'$\\]+}) and SQ_OPEN SQ_TEXT? SQ_CLOSE ({@code '...'}): most titles, ids and messages are, and
     * {@link #splitSingleQuoted} gives the same parts without starting the lexer (WordsTest compares the two).
     */
    private static boolean isSingleQuotedOnly(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '$' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Plain runs and '...' runs in order; GrubLexer has already checked that every quote is closed. */
    private static List<WordPart> splitSingleQuoted(String text) {
        List<WordPart> parts = new ArrayList<>(3);
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '\'') {
                int close = text.indexOf('\'', i + 1);
                // A quoted string always yields a quoted literal, even an empty one: '' is an (empty) argument.
                parts.add(new WordPart.Literal(text.substring(i + 1, close), WordPart.Quoting.SINGLE));
                i = close + 1;
            } else {
                int quote = text.indexOf('\'', i);
                int end = quote < 0 ? text.length() : quote;
                parts.add(new WordPart.Literal(text.substring(i, end), WordPart.Quoting.NONE));
                i = end;
            }
        }
        return List.copyOf(parts);
    }

    /** A word without quotes, variables or escapes is one unquoted literal; most words are (paths, options). */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '$' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void flush(List<WordPart> parts, StringBuilder text, WordPart.Quoting quoting) {
        if (text.length() > 0) {
            parts.add(new WordPart.Literal(text.toString(), quoting));
            text.setLength(0);
        }
    }

    /** The name in the reference {@code $name} or {@code ${name}} at {@code text[start, end)}. */
    private static String variableName(String text, int start, int end) {
        return text.charAt(start + 1) == '{' ? text.substring(start + 2, end - 1) : text.substring(start + 1, end);
    }
}
