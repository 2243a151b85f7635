package jgrub.config.ast;

/** {@code while C; do B; done}, or {@code until} when {@code until} is true. */
public record WhileCommand(CommandList condition, CommandList body, boolean until, Position position)
        implements Command {
}
