/**
 * The GRUB 2 script language in ANTLR4: {@code GrubLexer.g4} and {@code GrubParser.g4} after GRUB's
 * {@code grub-core/script/yylex.l} and {@code parser.y}, {@code GrubWordLexer.g4} for the inside of a word.
 * {@link jgrub.config.grammar.ScriptParser} is the entry point; generated contexts never leave this package.
 */
package jgrub.config.grammar;
