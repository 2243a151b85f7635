package jgrub.config.check;

/** How bad a diagnostic is: an error makes {@code jgrub check} exit 1, warnings and notes do not. */
public enum Severity {
    ERROR, WARNING, NOTE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
