package jgrub.config.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import jgrub.config.eval.EvalOptions;
import jgrub.config.grammar.ScriptParser;
import org.junit.jupiter.api.Test;

/** Random and extreme input gives diagnostics only: no exception, no stack overflow, no hang. */
class RobustnessTest {

    private static final String[] VOCABULARY = {"if", "then", "else", "elif", "fi", "for", "in", "do", "done",
        "while", "until", "function", "f", "{", "}", ";", "\n", "\n", "echo", "menuentry", "submenu", "'t'", "\"x $y\"",
        "$1", "${a}", "$@", "$*", "$#", "$?", "a=b", "set", "export", "return", "break", "continue", "shift",
        "setparams", "eval", "source", "configfile", "/x.cfg", "[", "]", "test", "-f", "-n", "=", "!=", "!",
        "search", "--set=root", "--fs-uuid", "--file", "linux", "initrd", "multiboot2", "module2", "module",
        "boot", "load_env", "save_env", "insmod", "default=0", "--id", "--class", "--source", "&&", "|", "\\",
        "\"", "'", "$", "#", "$\"", "[[", ";;", "true", "false", "regexp", "--set", ".*"};

    private static String randomConfig(Random random, int tokens) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            if (random.nextInt(20) == 0) {
                out.append((char) random.nextInt(0x80));
            } else {
                out.append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            }
            out.append(random.nextInt(4) == 0 ? "" : " ");
        }
        return out.toString();
    }

    @Test
    void randomConfigs_giveOnlyDiagnostics() {
        Random random = new Random(20261121);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 1000; i++) {
                String config = randomConfig(random, 1 + random.nextInt(200));
                CheckReport report = ConfigChecker.check("random.cfg", config,
                        EvalOptions.defaults().withMaxSteps(20_000));
                assertTrue(report.diagnostics().stream().allMatch(d -> d.position().line() >= 1
                        && d.position().column() >= 1 && !d.message().isBlank()), config);
            }
        });
    }

    @Test
    void tenThousandNestingLevels_areAnErrorDiagnostic() {
        int n = 10_000;
        String config = "if true; then\n".repeat(n) + "echo x\n" + "fi\n".repeat(n);
        CheckReport report = ConfigChecker.check("deep.cfg", config, EvalOptions.defaults());
        assertTrue(report.hasErrors());
        assertEquals(1, report.diagnostics().stream().filter(d -> d.message().contains("nested more than")).count(),
                () -> report.diagnostics().subList(0, Math.min(10, report.diagnostics().size())).toString());
        assertTrue(report.diagnostics().size() < 10);
    }

    @Test
    void tooManySyntaxErrors_stopAtTheCap() {
        CheckReport report = ConfigChecker.check("fi.cfg", "echo x\n" + "fi\n".repeat(10_000), EvalOptions.defaults());
        long syntax = report.diagnostics().stream().filter(d -> d.code().equals("syntax")).count();
        assertEquals(ScriptParser.MAX_ERRORS + 1, syntax);
    }

    @Test
    void nestingUpToTheBound_evaluates() {
        int n = ScriptParser.MAX_NESTING - 3;
        String config = "if true; then\n".repeat(n) + "menuentry x { linux /x; }\n" + "fi\n".repeat(n);
        CheckReport report = ConfigChecker.check("deep.cfg", config, EvalOptions.defaults());
        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertEquals(1, report.evaluation().menu().items().size());
    }

    @Test
    void hundredThousandLineConfig_isFine() {
        StringBuilder config = new StringBuilder("set timeout=5\n");
        int entries = 0;
        for (int lines = 1; lines < 100_000; lines += 6) {
            config.append("menuentry 'Linux ").append(entries).append("' --class os --id l").append(entries)
                    .append(" {\n\tinsmod gzio\n\tsearch --no-floppy --fs-uuid --set=root 1234-5678\n")
                    .append("\tlinux /vmlinuz-").append(entries).append(" root=/dev/sda2 ro quiet\n")
                    .append("\tinitrd /initrd.img-").append(entries).append("\n}\n");
            entries++;
        }
        String text = config.toString();
        int expected = entries;
        long lines = text.chars().filter(c -> c == '\n').count();
        assertTrue(lines >= 100_000, "lines: " + lines);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CheckReport report = ConfigChecker.check("big.cfg", text, EvalOptions.defaults());
            assertFalse(report.hasErrors(), () -> report.diagnostics().subList(0, 5).toString());
            assertEquals(expected, report.evaluation().menu().items().size());
        });
    }
}
