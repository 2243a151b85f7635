package jgrub.config.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jgrub.config.eval.EvalOptions;
import org.junit.jupiter.api.Test;

class ConfigCheckerTest {

    private static List<String> check(String config) {
        return ConfigChecker.check("grub.cfg", config, EvalOptions.defaults()).diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR || d.code().equals("no-boot")).map(d -> d.position().line() + ":" + d.code()).toList();
    }

    @Test
    void module2BeforeMultiboot2_moduleAfterMultiboot2_areReported() {
        assertEquals(List.of("2:boot-order", "5:boot-order"), check("""
                menuentry a {
                  module2 /initrd
                  multiboot2 /xen.gz
                }
                menuentry b { multiboot2 /xen.gz; module /vmlinuz; }
                """));
    }

    @Test
    void everyKindOfProblem_isReported_notOnlyTheFirst() {
        assertEquals(List.of("2:syntax", "3:no-boot", "3:default", "3:unknown-command", "4:no-boot",
                "4:command-failed", "5:bad-option"), check("""
                set default=Nope
                echo a && b
                menuentry a --id x { linuxx /vmlinuz; }
                menuentry b --id y { search --bogus; }
                menuentry c --id z { load_env --bogus; linux /vmlinuz; }
                menuentry d --id z { linux /vmlinuz; }; menuentry e --id z { linux /v; }
                """));
    }

    @Test
    void goodConfig_hasNoErrors_andSaysDiskChecksWereSkipped() {
        CheckReport report = ConfigChecker.check("grub.cfg",
                "set default=0\nmenuentry 'L' { insmod gzio; linux /vmlinuz ro; initrd /initrd.img; }\n",
                EvalOptions.defaults());
        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertTrue(report.diagnostics().stream().anyMatch(d -> d.code().equals("disk-skipped")));
        assertTrue(report.toJson().startsWith("{\"diagnostics\":[{\"severity\":\"note\""), report.toJson());
    }
}
