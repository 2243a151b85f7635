package jgrub.config.grammar;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenSource;

/**
 * A token stream lexed in full up front, answering the parser's most frequent questions (the current token, the one
 * before it, moving on) from an array. {@link CommonTokenStream} answers each by walking its list past tokens of other
 * channels and checking whether more must be fetched; GrubLexer puts every token on one channel, and a parse asks
 * hundreds of thousands of times.
 */
final class FilledTokenStream extends CommonTokenStream {

    private final Token[] array;

    /** {@code expected}: about how many tokens the source holds, so that the list is not copied as it grows. */
    FilledTokenStream(TokenSource source, int expected) {
        super(source);
        tokens = new ArrayList<>(Math.max(16, expected));
        fill();
        List<Token> all = getTokens();
        array = all.toArray(new Token[0]);
        for (Token token : array) {
            if (token.getChannel() != channel) {
                throw new IllegalArgumentException("token on channel " + token.getChannel() + ": " + token);
            }
        }
    }

    @Override
    public Token LT(int k) {
        if (k == 1) {
            return array[p];
        }
        if (k == -1) {
            return p > 0 ? array[p - 1] : null;
        }
        return super.LT(k);
    }

    @Override
    public int LA(int i) {
        return i == 1 ? array[p].getType() : super.LA(i);
    }

    @Override
    public void consume() {
        if (array[p].getType() == Token.EOF) {
            throw new IllegalStateException("cannot consume EOF");
        }
        p++;
    }
}
