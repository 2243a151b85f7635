package jgrub.config.ast;

/** {@code function NAME { BODY }}; GRUB defines the function when the definition is parsed. */
public record FunctionDef(String name, CommandList body, Position position) implements Statement {
}
