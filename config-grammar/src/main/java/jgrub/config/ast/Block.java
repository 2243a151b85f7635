package jgrub.config.ast;

/**
 * A { ... } block argument. GRUB keeps the text between the braces and parses it again when the command uses it (a
 * menu entry's body runs when the entry is chosen); {@code body} is that text already parsed, with positions in the
 * enclosing file.
 */
public record Block(CommandList body, String text, Position position) {
}
