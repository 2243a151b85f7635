package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jgrub.config.grammar.ScriptParser;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRUB's own script tests ({@code src/test/resources/grub-script/*.in}, GPL-3.0-or-later, kept unchanged) run through
 * real GRUB ({@code grub-emu}, Debian's 2.06) and through jgrub's evaluator; the outputs must be equal. The scripts
 * that test {@code grub-script-check} are checked for the same verdict instead.
 */
class GrubEmuConformanceTest {

    /** Scripts left out of the output comparison, and why. */
    static final Map<String, String> EXCLUDED = Map.of(
            "grub_script_blockarg.in", "needs the GRUB-internal test_blockarg command (functional_test module)",
            "grub_script_expansion.in", "compares `ls' output with wildcard expansion over GRUB's devices");

    /** Scripts that are grub-script-check cases: input and the verdict GRUB's test expects. */
    static final Map<String, Boolean> SCRIPT_CHECK = Map.of(
            "grub_script_blanklines.in", true,
            "grub_script_dollar.in", true,
            "grub_script_final_semicolon.in", true,
            "grub_script_no_commands.in", false);

    @TempDir
    Path temp;

    private static Path scripts() {
        // GRUB's own script tests (GPL-3.0-or-later), kept unchanged as data in this module's test resources.
        return Prerequisites.repositoryRoot().resolve("config-grammar/src/test/resources/grub-script");
    }

    @TestFactory
    Stream<DynamicTest> eachScript_printsWhatGrubEmuPrints() throws IOException {
        Path dir = scripts();
        Path grubEmu = Prerequisites.program("grub-emu");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".in")).sorted().toList();
        }
        return inputs.stream()
                .filter(p -> !EXCLUDED.containsKey(p.getFileName().toString()))
                .filter(p -> !SCRIPT_CHECK.containsKey(p.getFileName().toString()))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                    String script = withoutFirstLine(Files.readString(p, StandardCharsets.UTF_8));
                    String expected = grubEmu(grubEmu, script);
                    String actual = jgrub(script);
                    assertEquals(expected, actual, p.getFileName().toString());
                }));
    }

    /** jgrub's own cases for what GRUB's tests do not cover: errors, their output and where GRUB goes on. */
    static final List<String> OWN_SCRIPTS = List.of(
            "eval \"echo @a; echo @b &&; echo @c\"\necho @d\n",
            "echo @a\nif true; then\necho @b\n",
            "echo @a\nfi\necho @b \"x\n",
            "echo @a\necho @b && c\necho @c\nif true; then echo @d; fi; fi\necho @e\n",
            "nosuchcommand x\necho $?\n! nosuchcommand\necho $?\nset novalue\necho $?\n",
            "function f { return 5; }\nf\necho $?\nfunction g { return 1; }\ng\necho $?\n",
            "x=\"a  b\"\nfor w in $x \"$x\" ''; do echo \"[$w]\"; done\necho a\\\n b\n",
            "set a=1 b=2\necho $a $b\nunset a\necho [$a]\nexport c\necho [$c]\n",
            "echo $\"x\\\\y\" \"\\x\" '\\x' \\x\n",
            "[ a = a -a ( b != c -o 1 -gt 2 ) ]\necho $?\ntest -n \"\"\necho $?\n[ 10 -lt 9 ]\necho $?\n");

    /** Lines with a syntax error, each followed by {@code echo @ok}: GRUB's messages, and whether it goes on. */
    static final List<String> ERROR_LINES = List.of("fi", "echo a; fi", "echo a; then", "echo a &&", "&&",
            "echo a; &&", "if true; then echo; fi; fi", "if true; then echo; fi &&", "if x; then fi", "echo }", "}",
            "echo a; }", "for x y", "echo $", "function f { echo; }; fi", "menuentry x { }", "echo a;;", "echo a; ;",
            "echo a; echo b &&", "echo a; if x; then fi", "echo a; for x y", "echo a; echo $", "echo a; echo \"x",
            "echo a; if true; then", "echo a &&; echo b", "echo 'x", "echo $\"x", "echo a\\");

    @TestFactory
    Stream<DynamicTest> ownScripts_printWhatGrubEmuPrints() {
        Path grubEmu = Prerequisites.program("grub-emu");
        return Stream.of(OWN_SCRIPTS.stream(), ERROR_LINES.stream().map(line -> line + "\necho @ok\n"),
                NumbersTest.CASES.stream().map(c -> c[0])).flatMap(s -> s)
                .map(script -> DynamicTest.dynamicTest(script.replace("\n", " | "),
                () -> assertEquals(grubEmu(grubEmu, script), jgrub(script))));
    }

    @TestFactory
    Stream<DynamicTest> grubScriptCheckCases_getTheVerdictGrubsTestExpects() {
        Path dir = scripts();
        return SCRIPT_CHECK.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String text = Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8);
                    for (String heredoc : heredocs(text)) {
                        assertEquals(e.getValue(), ScriptParser.parse(e.getKey(), heredoc)
                                .acceptedByGrubScriptCheck(), heredoc);
                    }
                }));
    }

    /** The here-documents fed to grub-script-check, with the shell's unquoted-heredoc backslash rules applied. */
    static List<String> heredocs(String text) {
        List<String> out = new java.util.ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("grub-script-check <<EOF") || lines[i].contains("grub-script-check << EOF")) {
                StringBuilder doc = new StringBuilder();
                for (i++; i < lines.length && !lines[i].equals("EOF"); i++) {
                    doc.append(lines[i].replace("\\\\", "\u0000").replace("\\$", "$").replace("\u0000", "\\"))
                            .append('\n');
                }
                out.add(doc.toString());
            }
        }
        assertTrue(!out.isEmpty(), "no here-document in the script");
        return out;
    }

    static String withoutFirstLine(String script) {
        int newline = script.indexOf('\n');
        return newline < 0 ? "" : script.substring(newline + 1);
    }

    static String jgrub(String script) {
        Evaluation evaluation = ConfigEvaluator.evaluate("testcase.cfg", "set grubshell=yes\n" + script,
                EvalOptions.defaults());
        return evaluation.output();
    }

    /** The recipe of the folder's README: the script sourced from a memdisk, output after the banner. */
    String grubEmu(Path grubEmu, String script) throws IOException, InterruptedException {
        String out = GrubEmu.run(grubEmu, temp, Map.of(
                "grub.cfg", "set grubshell=yes\nsource /boot/grub/testcase.cfg\necho END-OF-TEST\nhalt\n",
                "testcase.cfg", script));
        int progress = out.lastIndexOf("\u001b[3;1H");
        int start = progress >= 0 ? progress + "\u001b[3;1H".length() : out.indexOf("Welcome to GRUB!\n\n") + 18;
        int end = out.indexOf("END-OF-TEST", start);
        assertTrue(end >= 0, () -> "grub-emu did not finish the script: " + out);
        return out.substring(start, end);
    }
}
