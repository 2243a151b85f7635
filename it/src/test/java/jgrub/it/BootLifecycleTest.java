package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.cli.Main;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code jgrub boot} run from start to end, as its own process: QEMU starts while the config is read, a bad image
 * is refused with QEMU gone, {@code --timeout} counts from jgrub's start, and SIGINT/SIGTERM end jgrub within a second
 * at any stage, leaving nothing behind.
 */
class BootLifecycleTest {

    /**
     * A config that evaluates for seconds before the evaluator's budget stops it (4.5 s on an idle machine): a regexp
     * whose matcher backtracks, every character it reads counted against the budget.
     */
    private static final String SLOW_CONFIG = "regexp '^(.*a){12}$' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
            + "menuentry never { multiboot2 /boot/k }\n";

    @TempDir
    Path temp;

    private static final Pattern TIMINGS = Pattern.compile("jgrub: timings \\(s since main\\): (.*)");

    /** A disk made by {@code jgrub mkesp} holding {@code config} as /boot/grub/grub.cfg and {@code kernel} as /boot/k. */
    private Path disk(String config, byte[] kernel) throws Exception {
        Path cfg = temp.resolve("grub.cfg");
        Path k = temp.resolve("k");
        Files.writeString(cfg, config);
        Files.write(k, kernel);
        Path disk = temp.resolve("esp.img");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"mkesp", disk.toString(), "--size", "8M", cfg + "=/boot/grub/grub.cfg",
            k + "=/boot/k"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return disk;
    }

    @Test
    void qemuStarts_beforeTheImagesAreLoaded_andTheBootStillReachesXen() throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Prerequisites.payload("xen.gz");
        Path disk = TestDisks.make(temp, "mb2");
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "pc", "--until",
                "\\(XEN\\) Xen version", "--timeout", "120", "--timings"));
        run.assertReached("(XEN) Xen version");
        Matcher m = TIMINGS.matcher(run.err());
        assertTrue(m.find(), run.tail());
        Map<String, Double> at = new LinkedHashMap<>();
        for (String step : m.group(1).split(", ")) {
            int space = step.lastIndexOf(' ');
            at.put(step.substring(0, space), Double.parseDouble(step.substring(space + 1)));
        }
        // QEMU starts on its own thread while the config is read: a tiny config may be done first, the images not.
        assertTrue(at.get("QEMU started") < at.get("images loaded"), at.toString());
        // Counted from this run's start, not from the first run in this JVM (as --timeout is).
        assertTrue(at.get("QEMU started") < 10, at.toString());
        assertTrue(at.get("images loaded") < at.get("handed off"), at.toString());
        assertEquals(List.copyOf(at.values()), at.values().stream().sorted().toList(), "in the order they happened");
    }

    @Test
    void badImage_isRefused_withQemuStoppedAndNothingLeft() throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        byte[] garbage = new byte[64 << 10];
        new Random(14).nextBytes(garbage);
        Path disk = disk("set timeout=0\nmenuentry bad { multiboot2 /boot/k }\n", garbage);
        try (JgrubProcess jgrub = JgrubProcess.start(temp.resolve("tmp"), List.of("boot", disk.toString(),
                "--platform", "pc", "--timeout", "60"))) {
            Integer code = jgrub.exitWithin(60);
            assertEquals(1, code, jgrub.said());
            String[] lines = jgrub.err().strip().split("\n");
            assertTrue(lines[lines.length - 1].startsWith("jgrub: ") && lines[lines.length - 1].contains("/boot/k"),
                    jgrub.said());
            assertEquals("", jgrub.out(), "the guest printed nothing");
            assertEquals(List.of(), jgrub.leftovers());
        }
    }

    @Test
    void timeout_coversTheConfigsEvaluation() throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path disk = disk(SLOW_CONFIG, new byte[4096]);
        try (JgrubProcess jgrub = JgrubProcess.start(temp.resolve("tmp"), List.of("boot", disk.toString(),
                "--platform", "pc", "--timeout", "2"))) {
            long start = System.nanoTime();
            Integer code = jgrub.exitWithin(30);
            double took = (System.nanoTime() - start) / 1e9;
            assertNotNull(code, "still running after 30 s" + jgrub.said());
            assertEquals(1, code, jgrub.said());
            assertTrue(jgrub.err().strip().matches("(?s).*jgrub: timed out after 2\\.\\d s while evaluating the config"),
                    jgrub.said());
            // JVM start-up comes before jgrub's clock starts.
            assertTrue(took < 4.5, took + " s" + jgrub.said());
            assertEquals(List.of(), jgrub.leftovers());
        }
    }

    @ParameterizedTest(name = "{0} while evaluating the config")
    @CsvSource({"INT, 130", "TERM, 143"})
    void signalWhileEvaluating_endsJgrubWithinASecond(String signal, int exitCode) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path disk = disk(SLOW_CONFIG, new byte[4096]);
        try (JgrubProcess jgrub = JgrubProcess.start(temp.resolve("tmp"), List.of("boot", disk.toString(),
                "--platform", "pc"))) {
            // QEMU runs SeaBIOS while the config is evaluated.
            assertTrue(jgrub.awaitQemu(20), "no QEMU while the config was evaluated" + jgrub.said());
            Thread.sleep(500);
            assertEquals("", jgrub.err(), "still evaluating");
            assertSignalEndsIt(jgrub, signal, exitCode);
        }
    }

    @ParameterizedTest(name = "{0} while the guest runs")
    @CsvSource({"INT, 130", "TERM, 143"})
    void signalWhileTheGuestRuns_endsJgrubWithinASecond(String signal, int exitCode) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Prerequisites.payload("xen.gz");
        Path disk = TestDisks.make(temp, "mb2");
        try (JgrubProcess jgrub = JgrubProcess.start(temp.resolve("tmp"), List.of("boot", disk.toString(),
                "--platform", "pc", "--until", "never printed", "--timeout", "300"))) {
            assertTrue(jgrub.awaitOut("(XEN) ", 120), "Xen never printed" + jgrub.said());
            assertSignalEndsIt(jgrub, signal, exitCode);
        }
    }

    private static void assertSignalEndsIt(JgrubProcess jgrub, String signal, int exitCode) throws Exception {
        long sent = System.nanoTime();
        jgrub.signal(signal);
        Integer code = jgrub.exitWithin(10);
        double took = (System.nanoTime() - sent) / 1e9;
        assertNotNull(code, "still running 10 s after SIG" + signal + jgrub.said());
        assertTrue(took <= 1.0, "SIG" + signal + " took " + took + " s to end jgrub" + jgrub.said());
        assertEquals(exitCode, code, jgrub.said());
        assertEquals(List.of(), jgrub.leftovers(), "left behind after SIG" + signal + " (" + took + " s)");
    }
}
