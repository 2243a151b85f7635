package jgrub.config.grammar;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.misc.Interval;

/**
 * A {@link CharStream} that reads a {@code String} in place. {@link CharStreams#fromString} copies the text into a
 * code-point buffer first, which for a config of a megabyte, and again for every quoted word, costs more than lexing it.
 *
 * <p>One {@code char} is one symbol, which is what ANTLR's code-point streams give for text without surrogate pairs;
 * {@link #of} falls back to {@link CharStreams#fromString} for text with them, so columns count code points either way.
 */
final class SourceChars implements CharStream {

    private final String text;
    private final String name;
    private int index;

    private SourceChars(String text, String name) {
        this.text = text;
        this.name = name;
    }

    /** A stream over {@code text}; {@code name} (may be null) is what tokens report as their source. */
    static CharStream of(String text, String name) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return CharStreams.fromString(text, name == null ? IntStream.UNKNOWN_SOURCE_NAME : name);
            }
        }
        return new SourceChars(text, name);
    }

    @Override
    public void consume() {
        if (index >= text.length()) {
            throw new IllegalStateException("cannot consume EOF");
        }
        index++;
    }

    @Override
    public int LA(int i) {
        if (i > 0) {
            int at = index + i - 1;
            return at < text.length() ? text.charAt(at) : IntStream.EOF;
        }
        if (i < 0) {
            int at = index + i;
            return at >= 0 ? text.charAt(at) : IntStream.EOF;
        }
        return 0;
    }

    @Override
    public int mark() {
        return -1;
    }

    @Override
    public void release(int marker) {
        // Nothing is buffered: the whole text is in memory.
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public void seek(int index) {
        this.index = index;
    }

    @Override
    public int size() {
        return text.length();
    }

    @Override
    public String getSourceName() {
        return name == null || name.isEmpty() ? IntStream.UNKNOWN_SOURCE_NAME : name;
    }

    /** As the code-point streams do: clipped to the text, empty when it starts past the end. */
    @Override
    public String getText(Interval interval) {
        int start = Math.min(interval.a, text.length());
        int length = Math.min(interval.b - interval.a + 1, text.length() - start);
        return length <= 0 ? "" : text.substring(start, start + length);
    }

    @Override
    public String toString() {
        return text;
    }
}
