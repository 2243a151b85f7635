package jgrub.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jgrub.boot.Platform;
import jgrub.config.check.CheckReport;
import jgrub.config.check.Diagnostic;
import jgrub.config.check.Severity;
import jgrub.grub.EntryBoots;
import jgrub.grub.GrubBoot;
import jgrub.grub.GrubConfig;
import jgrub.json.Json;
import jgrub.machine.MachineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrub check}: every problem of a grub.cfg, as GRUB would meet it, before a reboot. */
@Command(name = "check", description = {
    "Check a grub.cfg: all syntax errors, then a dry run of every menu entry (unknown commands, wrong options,"
        + " boot commands in the wrong order, entries that boot nothing, default/fallback naming no entry,"
        + " duplicate ids; with --disk, missing files).",
    "With --boot, boot every selected entry on each platform in a machine of its own until the console shows the"
        + " payload running, --jobs at a time, and report each (--junit: JUnit XML for CI).",
    "Exit 0 without errors (warnings allowed) or when every boot passed, 1 with at least one error or failed boot,"
        + " 2 on a usage error."})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigArgs args;

    @Option(names = "--json", description = "Print the diagnostics as JSON.")
    boolean json;

    @Option(names = "--boot", description = "Boot the entries instead of checking them dry (needs --disk).")
    boolean boot;

    @Option(names = "--entries", paramLabel = "SEL", split = ",",
            description = "With --boot: the entries to boot (index paths, titles or ids; default: all).")
    List<String> entries = new ArrayList<>();

    @Option(names = "--until", paramLabel = "REGEX", defaultValue = EntryBoots.DEFAULT_UNTIL,
            description = "With --boot: a console line that proves the payload runs (default: Xen's banner or"
                    + " Linux's version line).")
    String until;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "300",
            description = "With --boot: seconds each boot may take (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "With --boot: machines running at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "With --boot: boot only the K-th of N equal shares of the entries, for a CI matrix.")
    String shard;

    @Option(names = "--junit", paramLabel = "FILE", description = "With --boot: write a JUnit XML report to FILE.")
    Path junit;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1G", converter = SizeConverter.class,
            description = "With --boot: guest RAM of each machine (default: ${DEFAULT-VALUE}).")
    long memory;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (boot) {
            return bootEntries();
        }
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

    /** {@code --boot}: each selected entry on each platform booted; a line per boot, a JUnit report if asked. */
    private int bootEntries() throws Exception {
        if (args.disk == null) {
            throw new ParameterException(spec.commandLine(), "--boot needs --disk IMAGE: the entries boot from it");
        }
        if (jobs < 1 || timeout <= 0) {
            throw new ParameterException(spec.commandLine(), "--jobs and --timeout must be positive");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(until);
        } catch (PatternSyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--until: not a regular expression: "
                    + e.getDescription());
        }
        List<Platform> platforms = args.platforms.each();
        GrubConfig config = args.load(platforms.get(0));
        config.notes().forEach(spec.commandLine().getErr()::println);
        List<EntryBoots.Case> cases = EntryBoots.cases(GrubBoot.of(config), entries, platforms);
        if (shard != null) {
            cases = shard(cases);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("booting %d entr%s of %s, %d at a time%n", cases.size(), cases.size() == 1 ? "y" : "ies",
                config.name(), jobs);
        out.flush();
        MachineOptions options = MachineOptions.defaults().withConsole(null).withMemory(memory).withUntil(pattern)
                .withTimeout(Duration.ofMillis(Math.round(timeout * 1000)));
        String configArg = args.config == null ? null : args.config.toString();
        Instant started = Instant.now();
        List<EntryBoots.Outcome> outcomes = EntryBoots.boot(args.disk, configArg, cases, options, jobs);
        for (EntryBoots.Outcome o : outcomes) {
            out.printf("%s %s: %s (%.1f s)%n", o.passed() ? "pass" : "FAIL", o.boot().name(), o.message(),
                    o.elapsed().toMillis() / 1000.0);
        }
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        out.printf("%s: %d booted, %d failed%n", config.name(), outcomes.size() - failed, failed);
        if (junit != null) {
            Files.writeString(junit, JunitReport.write(config.name(), outcomes, started), StandardCharsets.UTF_8);
        }
        return failed == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private List<EntryBoots.Case> shard(List<EntryBoots.Case> cases) {
        Matcher m = Pattern.compile("([0-9]{1,4})/([0-9]{1,4})").matcher(shard);
        if (!m.matches()) {
            throw new ParameterException(spec.commandLine(), "--shard: K/N such as 2/4, not " + shard);
        }
        try {
            return EntryBoots.shard(cases, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
        }
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
