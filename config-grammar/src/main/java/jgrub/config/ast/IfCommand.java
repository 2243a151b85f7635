package jgrub.config.ast;

import java.util.List;
import java.util.Optional;

/** {@code if C; then B; [elif C; then B;]... [else B;] fi}: the first branch is the {@code if}, the rest are elifs. */
public record IfCommand(List<Branch> branches, Optional<CommandList> otherwise, Position position) implements Command {

    public IfCommand {
        branches = List.copyOf(branches);
    }

    /** One condition and the commands that run when its last command succeeds. */
    public record Branch(CommandList condition, CommandList body) {
    }
}
