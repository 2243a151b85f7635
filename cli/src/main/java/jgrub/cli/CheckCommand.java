package jgrub.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jgrub.config.check.CheckReport;
import jgrub.config.check.Diagnostic;
import jgrub.config.check.Severity;
import jgrub.grub.GrubBoot;
import jgrub.grub.GrubConfig;
import jgrub.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jgrub check}: every problem of a grub.cfg, as GRUB would meet it, before a reboot. */
@Command(name = "check", description = {
    "Check a grub.cfg: all syntax errors, then a dry run of every menu entry (unknown commands, wrong options,"
        + " boot commands in the wrong order, entries that boot nothing, default/fallback naming no entry,"
        + " duplicate ids; with --disk, missing files).",
    "Exit 0 without errors (warnings allowed), 1 with at least one error, 2 on a usage error."})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigArgs args;

    @Option(names = "--json", description = "Print the diagnostics as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GrubConfig input = args.load();
        CheckReport report = GrubBoot.of(input).check();
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(report));
        } else {
            input.notes().forEach(note -> spec.commandLine().getErr().println(note));
            for (Diagnostic d : report.diagnostics()) {
                out.println(d);
            }
            out.printf("%s: %d error(s), %d warning(s), %d menu entries%n", input.name(),
                    report.count(Severity.ERROR), report.count(Severity.WARNING),
                    report.evaluation().menu().allItems().size());
        }
        return report.hasErrors() ? Main.EXIT_FAILURE : Main.EXIT_OK;
    }

    /** {@code {"diagnostics":[{severity, file, line, column, entry, code, message}...], errors, warnings, diskChecked}}. */
    static String toJson(CheckReport report) {
        List<Map<String, Object>> diagnostics = new ArrayList<>();
        for (Diagnostic d : report.diagnostics()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("severity", d.severity().label());
            one.put("file", d.position().file());
            one.put("line", d.position().line());
            one.put("column", d.position().column());
            one.put("entry", d.entry());
            one.put("code", d.code());
            one.put("message", d.message());
            diagnostics.add(one);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("diagnostics", diagnostics);
        json.put("errors", report.count(Severity.ERROR));
        json.put("warnings", report.count(Severity.WARNING));
        json.put("diskChecked", report.diskChecked());
        return Json.write(json);
    }
}
