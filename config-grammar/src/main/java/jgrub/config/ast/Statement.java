package jgrub.config.ast;

/** A top-level statement: a command, or a function definition (GRUB allows those only at the top level). */
public sealed interface Statement permits Command, FunctionDef {

    Position position();
}
