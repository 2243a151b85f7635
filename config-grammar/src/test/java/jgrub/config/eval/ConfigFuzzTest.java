package jgrub.config.eval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jgrub.config.check.ConfigChecker;
import jgrub.config.menu.Menu;
import jgrub.testing.FuzzProperty;

/**
 * A grub.cfg as jgrub meets it: parsed, evaluated within the evaluation {@link Budget}, every entry dry-run by the
 * checker, and the default entry run. Whatever the text, the evaluator reports problems as diagnostics and GRUB's
 * own errors; it throws nothing and ends quickly.
 *
 * <p>The config is read from a small in-memory disk that also holds it as {@code /boot/grub/grub.cfg}, a second
 * config and a grubenv block, so that {@code source}, {@code configfile}, {@code search} and {@code load_env} reach
 * files. Seeds in {@code src/test/resources/jgrub/config/eval/ConfigFuzzTestInputs/config/}: ten of GNU GRUB's own
 * script tests (GPL-3.0-or-later, unchanged copies of {@code src/test/resources/grub-script/}) and a config in the
 * form Debian's {@code 20_linux_xen} writes; anything else there is an input that once failed.
 */
class ConfigFuzzTest {

    /** Far below the default of 2,000,000 steps: enough for any real config, and an input a second at most. */
    private static final long STEPS = 20_000;

    @FuzzTest(maxDuration = "5m")
    void config(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        MemoryDisk disk = new MemoryDisk()
                .file("hd0,gpt1", "/boot/grub/grub.cfg", input)
                .file("hd0,gpt1", "/boot/grub/x.cfg", "set x=1; menuentry 'from x' { linux /vmlinuz; }\n")
                .file("hd0,gpt1", "/boot/grub/grubenv", GrubEnvBlock.format(java.util.Map.of("saved_entry", "0")))
                .file("hd0,gpt1", "/boot/vmlinuz", new byte[64]);
        EvalOptions options = EvalOptions.defaults().withDisk(disk).withMaxSteps(STEPS)
                .withRoot("hd0,gpt1", "(hd0,gpt1)/boot/grub");
        FuzzProperty.check(List.of(), () -> {
            Evaluation evaluation = ConfigEvaluator.evaluate("fuzz.cfg", text, options);
            ConfigChecker.check(evaluation, options, "fuzz.cfg");
            Menu menu = evaluation.menu();
            menu.items();
            evaluation.runDefault(new RecordingBootCommands(disk));
        });
    }
}
