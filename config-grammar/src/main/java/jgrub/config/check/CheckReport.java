package jgrub.config.check;

import java.util.List;
import jgrub.config.eval.Evaluation;

/**
 * All problems found in a config, sorted by position, and the evaluation they were found in.
 *
 * @param diskChecked whether a disk was given, so that file and device checks ran
 */
public record CheckReport(List<Diagnostic> diagnostics, boolean diskChecked, Evaluation evaluation) {

    public CheckReport {
        diagnostics = List.copyOf(diagnostics);
    }

    public long count(Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }

    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }
}
