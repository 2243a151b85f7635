package jgrub.config.grammar;

import java.util.List;
import jgrub.config.ast.Script;

/**
 * What parsing a script gave: the statements GRUB would run (a top-level chunk with a syntax error is dropped, as GRUB
 * drops it) and every syntax error.
 *
 * @param hasCommands whether some top-level statement is a command; {@code grub-script-check} rejects a file without
 *                    one ("contains no commands and will do nothing"), and function definitions do not count
 */
public record ParseResult(Script script, List<SyntaxError> errors, boolean hasCommands) {

    public ParseResult {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The verdict {@code grub-script-check} gives: no syntax error and at least one command. */
    public boolean acceptedByGrubScriptCheck() {
        return errors.isEmpty() && hasCommands;
    }
}
