package jgrub.config.ast;

/** One command of the GRUB script language. */
public sealed interface Command extends Statement permits SimpleCommand, IfCommand, ForCommand, WhileCommand {
}
