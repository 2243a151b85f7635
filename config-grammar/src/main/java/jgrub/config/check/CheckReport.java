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

    /** The report as JSON: {@code {"diagnostics":[...],"errors":N,"warnings":N,"diskChecked":B}}. */
    public String toJson() {
        StringBuilder out = new StringBuilder("{\"diagnostics\":[");
        for (int i = 0; i < diagnostics.size(); i++) {
            Diagnostic d = diagnostics.get(i);
            out.append(i == 0 ? "" : ",").append("{\"severity\":").append(quote(d.severity().label()))
                    .append(",\"file\":").append(quote(d.position().file()))
                    .append(",\"line\":").append(d.position().line())
                    .append(",\"column\":").append(d.position().column())
                    .append(",\"entry\":").append(quote(d.entry()))
                    .append(",\"code\":").append(quote(d.code()))
                    .append(",\"message\":").append(quote(d.message())).append('}');
        }
        out.append("],\"errors\":").append(count(Severity.ERROR)).append(",\"warnings\":")
                .append(count(Severity.WARNING)).append(",\"diskChecked\":").append(diskChecked).append('}');
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
