package jgrub.config.ast;

import java.util.List;

/** {@code for NAME in WORDS; do BODY; done}. */
public record ForCommand(String variable, List<Word> words, CommandList body, Position position) implements Command {

    public ForCommand {
        words = List.copyOf(words);
    }
}
