package jgrub.config.ast;

/** A piece of a word, as GRUB's lexer splits it (grub-core/script/yylex.l, states SPLIT, DQUOTE, SQUOTE, VAR). */
public sealed interface WordPart {

    /** How a literal was quoted; unquoted text keeps its backslash escapes until after wildcard expansion. */
    enum Quoting { NONE, SINGLE, DOUBLE }

    /** Literal text. Quoted literals are never split or wildcard-expanded, and even an empty one makes an argument. */
    record Literal(String text, Quoting quoting) implements WordPart {
    }

    /** {@code $name}, {@code ${name}}, {@code $1}, {@code $?}, {@code $#}, {@code $*}, {@code $@}; quoted inside "...". */
    record Variable(String name, boolean quoted) implements WordPart {
    }

    /** {@code $"text"}: text to translate, with variables expanded after translation (GRUB's gettext_append). */
    record Gettext(String text) implements WordPart {
    }
}
