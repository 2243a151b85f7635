package jgrub.config.grammar;

import jgrub.config.ast.Position;

/** A syntax error: where (file, 1-based line and column) and what, in words a user can act on. */
public record SyntaxError(Position position, String message) {

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
