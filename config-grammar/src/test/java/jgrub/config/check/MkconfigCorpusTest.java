package jgrub.config.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jgrub.config.eval.EvalOptions;
import jgrub.config.grammar.ScriptParser;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs written by the stock grub-mkconfig scripts (scripts/mkconfig-corpus: 10_linux, 20_linux_xen, several kernel
 * and Xen sets and /etc/default/grub settings) and mutations of them: jgrub's syntax verdict must equal
 * grub-script-check's on every one, and the unmutated configs must check without errors.
 */
class MkconfigCorpusTest {

    static final String[] SETS = {"1:1:default", "2:2:default", "2:2:no-submenu", "2:2:saved", "2:2:serial",
        "2:2:quoting", "2:2:hidden", "2:0:default"};
    static final int MUTATIONS_PER_CONFIG = Integer.getInteger("jgrub.mutations", 40);

    @TempDir
    static Path corpus;

    static List<Path> configs;
    static Path scriptCheck;

    @BeforeAll
    static void writeCorpus() throws IOException, InterruptedException {
        scriptCheck = Prerequisites.program("grub-script-check");
        Prerequisites.program("grub-mkconfig");
        Prerequisites.program("unshare");
        if (!Files.isRegularFile(Path.of("/etc/grub.d/20_linux_xen"))) {
            Prerequisites.missing("/etc/grub.d/20_linux_xen (grub-common)");
        }
        List<String> command = new ArrayList<>(List.of(
                Prerequisites.repositoryRoot().resolve("scripts/mkconfig-corpus").toString(), corpus.toString()));
        command.addAll(List.of(SETS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "mkconfig-corpus timed out");
        if (process.exitValue() != 0 && log.contains("unshare")) {
            Prerequisites.missing("a private mount namespace (unshare --mount --map-root-user): " + log.strip());
        }
        assertEquals(0, process.exitValue(), log);
        try (Stream<Path> files = Files.list(corpus)) {
            configs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertEquals(SETS.length, configs.size(), log);
    }

    @TestFactory
    Stream<DynamicTest> stockConfigs_checkWithoutErrors_andGrubScriptCheckAgrees() {
        return configs.stream().map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> {
            String text = Files.readString(cfg, StandardCharsets.ISO_8859_1);
            assertTrue(grubScriptCheck(text));
            assertTrue(ScriptParser.parse(cfg.toString(), text).acceptedByGrubScriptCheck());
            CheckReport report = ConfigChecker.check(cfg.toString(), text, EvalOptions.defaults());
            assertFalse(report.hasErrors(), () -> report.diagnostics().toString());
            assertFalse(report.evaluation().menu().items().isEmpty());
        }));
    }

    @TestFactory
    Stream<DynamicTest> mutatedConfigs_getGrubScriptChecksVerdict() {
        return configs.stream().map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> {
            String text = Files.readString(cfg, StandardCharsets.ISO_8859_1);
            Random random = new Random(cfg.getFileName().toString().hashCode());
            int rejected = 0;
            for (int i = 0; i < MUTATIONS_PER_CONFIG; i++) {
                String mutant = Mutations.mutate(text, random);
                boolean grub = grubScriptCheck(mutant);
                boolean jgrub = ScriptParser.parse("mutant.cfg", mutant).acceptedByGrubScriptCheck();
                if (grub != jgrub) {
                    Path kept = Files.writeString(corpus.resolve("disagreement-" + i + ".cfg"), mutant);
                    assertEquals(grub, jgrub, "verdicts differ on " + kept + ": "
                            + ScriptParser.parse("mutant.cfg", mutant).errors());
                }
                rejected += grub ? 0 : 1;
                // The checker must survive every mutant with diagnostics only.
                ConfigChecker.check("mutant.cfg", mutant, EvalOptions.defaults().withMaxSteps(100_000));
            }
            assertTrue(rejected > 0, "no mutation was a syntax error: the mutations test nothing");
        }));
    }

    static boolean grubScriptCheck(String text) throws IOException, InterruptedException {
        Path file = Files.createTempFile(corpus, "check", ".cfg");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        Process process = new ProcessBuilder(scriptCheck.toString(), file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "grub-script-check timed out");
        Files.delete(file);
        return process.exitValue() == 0;
    }
}
