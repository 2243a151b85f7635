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
    void aKernelThatFailsToLoad_isTheOneError_notTheModulesAfterIt() {
        assertEquals(List.of("2:command-failed", "7:boot-order"), check("""
                menuentry a {
                  multiboot2
                  module2 /vmlinuz
                  module2 /initrd.img
                }
                menuentry b {
                  module2 /initrd.img
                  multiboot2 /xen.gz
                }
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
    }

    @Test
    void stubConfigPointingAtAnUnreadableFileSystem_isNotAnError() {
        jgrub.config.eval.DiskView disk = new jgrub.config.eval.DiskView() {
            @Override
            public boolean readable(String device) {
                return device.equals("hd0,gpt1");
            }

            @Override
            public java.util.List<Device> devices() {
                return java.util.List.of(
                        new Device("hd0,gpt1", java.util.Optional.of("AAAA-BBBB"), java.util.Optional.empty()),
                        new Device("hd0,gpt2", java.util.Optional.empty(), java.util.Optional.empty()));
            }

            @Override
            public java.util.Optional<FileInfo> stat(String device, String path) {
                return java.util.Optional.empty();
            }

            @Override
            public byte[] read(String device, String path) throws java.io.IOException {
                throw new java.nio.file.NoSuchFileException(path);
            }
        };
        CheckReport report = ConfigChecker.check("grub.cfg", """
                search.fs_uuid 0f0e0d0c-1111-2222-3333-444455556666 root hd0,gpt2
                set prefix=($root)'/boot/grub'
                configfile $prefix/grub.cfg
                """, EvalOptions.defaults().withDisk(disk));
        assertFalse(report.hasErrors(), report.diagnostics()::toString);
        assertEquals("hd0,gpt2", report.evaluation().variables().get("root"));
        assertTrue(report.diagnostics().stream().anyMatch(d -> d.message().contains("could not be read")));
    }
}
