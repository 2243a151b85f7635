package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    /** Output and exit code of one run of the command line. */
    record Run(int code, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
            return new Run(code, out.toString(), err.toString());
        }
    }

    @Test
    void help_listsUsageAndExitsZero() {
        Run run = Run.of("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("Usage: jgrub"), run.out());
        assertTrue(run.out().contains("--version"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void version_namesJgrubAndItsVersion() {
        Run run = Run.of("--version");
        assertEquals(0, run.code());
        assertTrue(run.out().matches("(?s)jgrub \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\nJava .*"), run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no-such-option", "-Z", "no-such-command"})
    void wrongArgument_printsOneErrorLineAndUsage_exitsTwo(String argument) {
        Run run = Run.of(argument);
        assertEquals(2, run.code());
        String firstLine = run.err().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("jgrub: ") && firstLine.contains(argument), run.err());
        assertTrue(run.err().contains("Usage: jgrub"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void noArguments_showsUsage() {
        Run run = Run.of();
        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("Usage: jgrub"), run.out());
    }

    @Test
    void help_listsEverySubcommand() {
        Run run = Run.of("--help");
        for (String command : List.of("boot", "check", "menu", "plan", "inspect", "parts", "ls", "cat", "mkesp")) {
            assertTrue(run.out().contains("\n  " + command + " "), command + " in\n" + run.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--debug,cat,/no/such.img,/x", "cat,--debug,/no/such.img,/x"})
    void debug_reachesTheSubcommand_beforeOrAfterIt(String line) {
        Run run = Run.of(line.split(","));
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("jgrub: /no/such.img: no such file\n"), run.err());
        assertTrue(run.err().contains("NoSuchFileException"), "stack trace with --debug: " + run.err());
    }

    @Test
    void failure_withoutDebug_isOneLine() {
        Run run = Run.of("cat", "/no/such.img", "/x");
        assertEquals(1, run.code());
        assertEquals("jgrub: /no/such.img: no such file\n", run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"boot", "check", "menu", "plan", "inspect", "parts", "ls", "cat", "mkesp"})
    void everySubcommand_hasHelp_withTheExitCodes(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            Run run = Run.of(command, flag);
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().startsWith("Usage: jgrub " + command + " "), run.out());
            assertTrue(run.out().contains("Exit codes:\n  0     success\n  1     failure: "), run.out());
            assertTrue(run.out().contains("\n  130   ended by SIGINT (Ctrl-c)"), run.out());
        }
        assertEquals(0, Run.of(command, "--version").code());
    }
}
