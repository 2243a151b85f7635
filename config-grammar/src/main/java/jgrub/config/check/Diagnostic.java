package jgrub.config.check;

import jgrub.config.ast.Position;

/**
 * One problem found in a config.
 *
 * @param entry   the menu entry it was found in, as {@code path "title"}, or empty for the config's top level
 * @param code    a stable short name for the kind of problem (for scripts and tests), e.g. {@code syntax}
 */
public record Diagnostic(Severity severity, Position position, String entry, String message, String code) {

    /** {@code error: grub.cfg:12:3: [1>0 "Debian"] message}. */
    @Override
    public String toString() {
        return severity.label() + ": " + position + ": " + (entry.isEmpty() ? "" : "[" + entry + "] ") + message;
    }
}
