package jgrub.config.ast;

import java.util.List;
import java.util.Optional;

/**
 * A command line: its words (the first names the command) and an optional { ... } block, which GRUB allows only as
 * the last argument ({@code menuentry 'title' { ... }}).
 */
public record SimpleCommand(List<Word> words, Optional<Block> block, Position position) implements Command {

    public SimpleCommand {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a command has at least one word");
        }
    }

    public Word name() {
        return words.get(0);
    }
}
