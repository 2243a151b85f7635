package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man page and the bash completion describe every command and option the help does, and both parse. */
class DocumentationTest {

    @Test
    void manPage_hasEveryCommandAndOption() {
        CommandLine cli = Main.commandLine();
        String man = Documentation.manPage(cli, LocalDate.of(2026, 12, 4));
        assertTrue(man.startsWith(".TH JGRUB 1 \"2026-12-04\""), man);
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            assertTrue(man.contains(".SS " + sub.getKey() + "\n"), sub.getKey());
            for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
                assertTrue(man.contains(Documentation.roff(option.longestName())), sub.getKey() + " "
                        + option.longestName());
            }
        }
        assertTrue(man.contains(".SH EXIT STATUS\n.TP\n.B 0\nsuccess\n"), man);
    }

    @Test
    void generatedFiles_areValidTroffAndBash(@TempDir Path dir) throws Exception {
        Documentation.main(new String[] {dir.toString()});
        Process bash = new ProcessBuilder("bash", "-n", dir.resolve("jgrub-completion.bash").toString())
                .redirectErrorStream(true).start();
        assertEquals(0, bash.waitFor(), new String(bash.getInputStream().readAllBytes()));
        Prerequisites.program("groff");
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", dir.resolve("jgrub.1").toString())
                .redirectErrorStream(true).start();
        String warnings = new String(groff.getInputStream().readAllBytes());
        assertEquals(0, groff.waitFor(), warnings);
        assertEquals("", warnings);
    }
}
