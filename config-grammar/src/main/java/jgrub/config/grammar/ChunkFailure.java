package jgrub.config.grammar;

import org.antlr.v4.runtime.Token;

/** Ends the parse of one chunk at its first syntax error; the message is already worded for the user. */
final class ChunkFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final transient Token token;
    final boolean nesting;
    final String grubPrints;

    ChunkFailure(Token token, String message, boolean nesting) {
        this(token, message, nesting, SyntaxError.GRUB_SYNTAX_ERROR);
    }

    ChunkFailure(Token token, String message, boolean nesting, String grubPrints) {
        super(message, null, false, false);
        this.token = token;
        this.nesting = nesting;
        this.grubPrints = grubPrints;
    }
}
