package jgrub.config.grammar;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;

/**
 * GrubLexer, stepping over blanks before each token without a DFA match. A config is indented and spaced: nearly every
 * other match was a BLANK, which yields no token, and a match costs tens of nanoseconds whatever its length.
 *
 * <p>Where a token starts with one of BLANK's characters, BLANK ({@code [ \t\r\f\u000B]+ -> skip}) is the longest match
 * of any rule (no other rule starts with them; BAD matches one character and comes later), so skipping the whole run
 * is what GrubLexer would do; {@code BlankSkippingLexerTest} checks this against the grammar character by character.
 * Blanks hold no newline, so only the column moves.
 */
final class BlankSkippingLexer extends GrubLexer {

    BlankSkippingLexer(CharStream input) {
        super(input);
        setInterpreter(new EndOfInputSimulator(this, _ATN, _decisionToDFA, _sharedContextCache));
        setTokenFactory(SourceTokens.INSTANCE);
    }

    @Override
    public Token nextToken() {
        CharStream input = getInputStream();
        int skipped = 0;
        while (isBlank(input.LA(1))) {
            input.consume();
            skipped++;
        }
        if (skipped > 0) {
            getInterpreter().setCharPositionInLine(getInterpreter().getCharPositionInLine() + skipped);
        }
        return super.nextToken();
    }

    static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
