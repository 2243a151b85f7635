package jgrub.config.grammar;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;

/**
 * Makes the lexers' tokens with every field given, as {@link org.antlr.v4.runtime.CommonTokenFactory} would make
 * them; its constructor asks the lexer for the line and column once more (two calls per token, then overwritten),
 * and a config is tens of thousands of tokens. The text is read from the input when asked for, as there.
 */
final class SourceTokens implements TokenFactory<CommonToken> {

    static final SourceTokens INSTANCE = new SourceTokens();

    private SourceTokens() {
    }

    @Override
    public CommonToken create(Pair<TokenSource, CharStream> source, int type, String text, int channel, int start,
            int stop, int line, int charPositionInLine) {
        SourceToken token = new SourceToken(source, type, start, stop, line, charPositionInLine);
        if (channel != Token.DEFAULT_CHANNEL) {
            token.setChannel(channel);
        }
        if (text != null) {
            token.setText(text);
        }
        return token;
    }

    @Override
    public CommonToken create(int type, String text) {
        return new CommonToken(type, text);
    }

    private static final class SourceToken extends CommonToken {

        private static final long serialVersionUID = 1L;

        SourceToken(Pair<TokenSource, CharStream> source, int type, int start, int stop, int line, int column) {
            super(type);
            this.source = source;
            this.start = start;
            this.stop = stop;
            this.line = line;
            this.charPositionInLine = column;
        }
    }
}
