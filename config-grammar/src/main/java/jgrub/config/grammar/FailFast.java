package jgrub.config.grammar;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;

/**
 * Stops a chunk at its first syntax error with a message worded by {@link ErrorMessages}. There is no in-chunk
 * recovery: GRUB has none either (it drops the chunk), and guessed repairs only produce follow-on noise.
 */
final class FailFast extends DefaultErrorStrategy {

    @Override
    public void recover(Parser recognizer, RecognitionException e) {
        Token token = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
        throw failure((GrubParser) recognizer, token);
    }

    @Override
    public Token recoverInline(Parser recognizer) {
        InputMismatchException e = new InputMismatchException(recognizer);
        Token token = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
        throw failure((GrubParser) recognizer, token);
    }

    private static ChunkFailure failure(GrubParser parser, Token token) {
        return ((GuardedParser) parser).abandon(new ChunkFailure(token, ErrorMessages.describe(parser, token), false,
                ErrorMessages.grubPrints(parser, token)));
    }

    @Override
    public void sync(Parser recognizer) {
        // No resynchronisation inside a chunk: an error surfaces at the next match or prediction.
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        // Reported by recover(), which always follows.
    }
}
