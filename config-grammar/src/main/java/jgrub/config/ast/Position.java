package jgrub.config.ast;

/**
 * Where something is in a script: the file (as the user named it, or a description such as {@code eval} text), and a
 * 1-based line and column. Columns count characters; a tab is one column.
 */
public record Position(String file, int line, int column) {

    public Position {
        file = file == null ? "" : file;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
