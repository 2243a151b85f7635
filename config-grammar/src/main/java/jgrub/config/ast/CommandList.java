package jgrub.config.ast;

import java.util.List;

/** A non-empty sequence of commands: a body of if/for/while, a block or a function. */
public record CommandList(List<Command> commands) {

    public CommandList {
        commands = List.copyOf(commands);
    }
}
