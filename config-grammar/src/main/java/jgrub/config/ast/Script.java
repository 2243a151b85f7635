package jgrub.config.ast;

import java.util.List;

/** A parsed script: its top-level statements in order, and the source name they came from. */
public record Script(String file, List<Statement> statements) {

    public Script {
        statements = List.copyOf(statements);
    }
}
