package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Configs whose values, word lists or nesting grow without end stop with GRUB's "out of memory" and the position,
 * within seconds and a small heap, instead of filling the JVM's. The configs are in
 * {@code src/test/resources/jgrub/config/hostile}, which {@code scripts/bench-hostile} runs through {@code jgrub check}.
 */
class BudgetTest {

    /** Far more than any of these needs once bounded; before the budget each ran for minutes into gigabytes. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    static String hostile(String name) {
        try (InputStream in = BudgetTest.class.getResourceAsStream("/jgrub/config/hostile/" + name)) {
            assertTrue(in != null, "missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Evaluation evaluate(String file, String text) {
        return assertTimeoutPreemptively(BOUND, () -> ConfigEvaluator.evaluate(file, text, EvalOptions.defaults()));
    }

    private static Notice limit(Evaluation evaluation) {
        List<Notice> limits = evaluation.notices().stream().filter(n -> n.kind() == Notice.Kind.LIMIT).toList();
        assertEquals(1, limits.size(), evaluation.notices()::toString);
        return limits.get(0);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "recursive-doubling.cfg ~ 1:14 ~ a command of more than 65536 words",
        "doubling-assignments.cfg ~ 21:1 ~ a word longer than 1048576 characters",
        "eval-100000-deep.cfg ~ 1:1 ~ a command of more than 65536 words",
        "eval-20000-deep.cfg ~ 1:1 ~ eval of 99869 characters: the calls in progress would hold more than 64 MiB"
                + " (nested too deep?)",
        "exponential-title.cfg ~ 17:1 ~ a word longer than 1048576 characters",
        "many-large-entries.cfg ~ 17:16 ~ variables and menu entries hold more than 64 MiB",
        "many-large-variables.cfg ~ 18:25 ~ variables and menu entries hold more than 64 MiB",
    })
    void hostileConfig_endsWithOutOfMemoryAndItsPosition(String file, String at, String what) {
        Evaluation evaluation = evaluate(file, hostile(file));
        assertEquals(file + ":" + at + ": out of memory: " + what + " (jgrub's limit)", limit(evaluation).toString());
        assertTrue(evaluation.output().endsWith("error: out of memory.\n"), evaluation.output());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        // $"..." expands variables into one word as it is read.
        "a=0123456789abcdef; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do a=\"$a$a\"; done; echo $\"$a$a$a\""
                + " ~ a word longer than 1048576 characters",
        // Each call holds its 40,000 arguments: about 2 MiB a level, well before 400 levels.
        "a='x x x x x x x x x x'; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do a=\"$a $a\"; done;"
                + " function f { f $@; }; f $a"
                + " ~ function f called with 40960 arguments: the calls in progress would hold more than 64 MiB"
                + " (nested too deep?)",
    })
    void hostileLine_endsWithOutOfMemory(String config, String what) {
        Notice notice = limit(evaluate("line.cfg", config + "\n"));
        assertEquals("out of memory: " + what + " (jgrub's limit)", notice.message());
    }

    @Test
    void backtrackingRegexp_stopsAtTheCharacterBudget() {
        Evaluation evaluation = evaluate("backtracking-regexp.cfg", hostile("backtracking-regexp.cfg"));
        assertEquals("backtracking-regexp.cfg:3:1: stopped after expanding " + 2_000_000L * Budget.CHARS_PER_STEP
                + " characters in all (the config, its submenus and the entries run from it): the script does not"
                + " seem to end", limit(evaluation).toString());
    }

    @Test
    void unknownCommandNamedByAHugeWord_isNotedShortened() {
        Evaluation evaluation = evaluate("name.cfg", "a=0123456789abcdef\n" + "a=\"$a$a\"\n".repeat(15)
                + "for i in 1 2 3; do $a; done\n");
        List<Notice> unknown = evaluation.notices().stream().filter(n -> n.kind() == Notice.Kind.UNKNOWN_COMMAND)
                .toList();
        assertEquals(3, unknown.size());
        String message = "can't find command `" + "0123456789abcdef".repeat(1 << 15) + "'";
        assertEquals(message.substring(0, Budget.MAX_NOTICE) + "... (" + message.length() + " characters)",
                unknown.get(0).message());
    }

    @Test
    void submenusThatEachFillTheBudget_shareOneBudget() {
        // Each body fills 64 MiB of variables; the states of all 40 would be kept to run their entries from.
        Evaluation evaluation = evaluate("many-large-submenus.cfg", hostile("many-large-submenus.cfg"));
        assertEquals(40, evaluation.menu().items().size());
        // What the kept states hold is charged to every later run: the last submenu's entry finds memory full.
        EntryRun run = evaluation.run((jgrub.config.menu.MenuEntry) evaluation.menu().at("39>0").orElseThrow(),
                new RecordingBootCommands());
        assertTrue(run.notices().stream().anyMatch(n -> n.message().startsWith("out of memory: variables and menu"
                + " entries hold more than 64 MiB")), run.notices()::toString);
    }

    @Test
    void endlessEntries_stopAfterTenTimesTheStepsInAll() {
        // check dry-runs every entry; each alone may run 2,000,000 commands, all of them together 20,000,000.
        Evaluation evaluation = evaluate("endless-entries.cfg", hostile("endless-entries.cfg"));
        List<Notice> limits = assertTimeoutPreemptively(BOUND, () -> {
            List<Notice> all = new java.util.ArrayList<>();
            for (var item : evaluation.menu().items()) {
                all.addAll(evaluation.run((jgrub.config.menu.MenuEntry) item, new RecordingBootCommands()).notices());
            }
            return all;
        });
        assertEquals(List.of("stopped after 2000000 commands: the script does not seem to end (a loop that never"
                + " finishes?)", "stopped after 20000000 commands in all (the config, its submenus and the entries run"
                + " from it); entries after this one are not run"),
                limits.stream().map(Notice::message).distinct().toList());
        assertEquals(1, limits.stream().filter(n -> n.message().contains("in all")).count());
    }

    @Test
    void limits_areFarAboveAGrubMkconfigConfig() {
        // 902 entries as grub-mkconfig's 20_linux_xen writes them, each with a long command line; a submenu each.
        StringBuilder config = new StringBuilder("set default=0\nfunction load_video { insmod all_video; }\n");
        String cmdline = "root=UUID=0123 ro quiet " + "console=ttyS0,115200 ".repeat(40);
        for (int k = 0; k < 451; k++) {
            config.append("submenu 'Xen 4.17, Linux 6.1.0-").append(k).append("' {\n");
            for (int e = 0; e < 2; e++) {
                config.append("  menuentry 'Debian GNU/Linux, with Xen 4.17 and Linux 6.1.0-").append(k)
                        .append(e == 0 ? "'" : " (recovery mode)'").append(" --class debian --id 'xen-").append(k)
                        .append('-').append(e).append("' {\n    load_video\n    insmod gzio\n")
                        .append("    search --no-floppy --fs-uuid --set=root 0123-4567\n")
                        .append("    multiboot2 /boot/xen-4.17-amd64.gz placeholder dom0_mem=1024M\n")
                        .append("    module2 /boot/vmlinuz-6.1.0-").append(k).append(" placeholder ")
                        .append(cmdline).append("\n    module2 --nounzip /boot/initrd.img-6.1.0-").append(k)
                        .append("\n  }\n");
            }
            config.append("}\n");
        }
        Evaluation evaluation = evaluate("grub.cfg", config.toString());
        assertTrue(evaluation.notices().stream().noneMatch(n -> n.kind() == Notice.Kind.LIMIT),
                evaluation.notices()::toString);
        assertEquals(451 + 902, evaluation.menu().allItems().size());
    }

    /** Found by ConfigFuzzTest: each pass copies the growing value, so within the step limit it ran for a minute. */
    @Test
    void valueGrowingInALoop_stopsAfterItsShareOfExpansion() {
        String config = "foo=\"\"\nwhile test \"$foo\" != \"x\"; do\n  foo=\"${foo}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\ndone\n";
        Evaluation evaluation = assertTimeoutPreemptively(BOUND, () -> ConfigEvaluator.evaluate("grow.cfg", config,
                EvalOptions.defaults().withMaxSteps(20_000)));
        assertEquals("grow.cfg:2:7: stopped after expanding 5120000 characters in all (the config, its submenus and"
                + " the entries run from it): the script does not seem to end", limit(evaluation).toString());
    }
}
