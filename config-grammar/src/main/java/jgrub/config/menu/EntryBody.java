package jgrub.config.menu;

import java.util.Optional;
import jgrub.config.ast.CommandList;
import jgrub.config.ast.Position;

/**
 * The commands of an entry: the text GRUB keeps and runs when the entry is chosen, and the same text already parsed
 * (with positions in the file it is written in). {@code parsed} is empty for {@code --source} text, which is parsed
 * when it runs.
 */
public record EntryBody(String text, Optional<CommandList> parsed, Position position) {
}
