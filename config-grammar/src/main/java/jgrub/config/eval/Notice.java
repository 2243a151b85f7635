package jgrub.config.eval;

import jgrub.config.ast.Position;

/** Something the evaluator noticed while running a script, for the validator and for users of dry runs. */
public record Notice(Kind kind, Position position, String message) {

    public enum Kind {
        /** A command failed; GRUB prints {@code error: MESSAGE.} (the message is without that decoration). */
        COMMAND_FAILED,
        /** No command, function or assignment by that name; GRUB prints "can't find command" and goes on. */
        UNKNOWN_COMMAND,
        /** The options of a command are wrong (GRUB's argument parser rejects them). */
        BAD_OPTIONS,
        /** A syntax error in text parsed while running: {@code source}, {@code eval}, {@code --source}. */
        SYNTAX_ERROR,
        /** A step that needs the disk was skipped because there is none. */
        DISK_SKIPPED,
        /** The run was stopped: too many steps, too deep recursion. */
        LIMIT,
        /** A command ended GRUB ({@code halt}, {@code reboot}, {@code exit}). */
        HALTED
    }

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
