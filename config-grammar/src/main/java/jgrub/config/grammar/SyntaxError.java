package jgrub.config.grammar;

import jgrub.config.ast.Position;

/**
 * A syntax error: where (file, 1-based line and column) and what, in words a user can act on.
 *
 * @param grubPrints what GRUB 2.06 prints for it when it reads the file ({@code error: syntax error.} lines)
 */
public record SyntaxError(Position position, String message, String grubPrints) {

    public SyntaxError(Position position, String message) {
        this(position, message, GRUB_SYNTAX_ERROR);
    }

    /** GRUB's usual three lines: bison's message, its error rule's, bison's again. */
    public static final String GRUB_SYNTAX_ERROR =
            "error: syntax error.\nerror: Incorrect command.\nerror: syntax error.\n";

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
