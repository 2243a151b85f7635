package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The saved-default logic grub-mkconfig writes (00_header with GRUB_DEFAULT=saved) against a grubenv on a disk. */
class SavedDefaultTest {

    /** 00_header's text for GRUB_DEFAULT=saved and GRUB_SAVEDEFAULT=true, as grub-mkconfig 2.06 writes it. */
    static final String CONFIG = """
            if [ -s $prefix/grubenv ]; then
              set have_grubenv=true
              load_env
            fi
            if [ "${next_entry}" ] ; then
               set default="${next_entry}"
               set next_entry=
               save_env next_entry
               set boot_once=true
            else
               set default="${saved_entry}"
            fi
            menuentry_id_option="--id"
            export menuentry_id_option
            function savedefault {
              if [ -z "${boot_once}" ]; then
                saved_entry="${chosen}"
                save_env saved_entry
              fi
            }
            menuentry 'Debian' $menuentry_id_option 'simple' { savedefault; linux /vmlinuz; }
            submenu 'Advanced' $menuentry_id_option 'adv' {
              menuentry 'Debian 6.1' $menuentry_id_option 'v61' { savedefault; linux /vmlinuz-6.1; }
              menuentry 'Debian 6.0' $menuentry_id_option 'v60' { savedefault; linux /vmlinuz-6.0; }
            }
            """;

    /** One FAT-like device, hd0,gpt1, with files in memory. */
    static DiskView disk(Map<String, String> files) {
        return new DiskView() {
            @Override
            public List<Device> devices() {
                return List.of(new Device("hd0,gpt1", Optional.of("1234-ABCD"), Optional.empty()));
            }

            @Override
            public Optional<FileInfo> stat(String device, String path) {
                String text = "hd0,gpt1".equals(device) ? files.get(path) : null;
                return text == null ? Optional.empty() : Optional.of(new FileInfo(false, text.length()));
            }

            @Override
            public byte[] read(String device, String path) throws NoSuchFileException {
                String text = "hd0,gpt1".equals(device) ? files.get(path) : null;
                if (text == null) {
                    throw new NoSuchFileException(path);
                }
                return text.getBytes(StandardCharsets.ISO_8859_1);
            }
        };
    }

    static String grubenv(String... lines) {
        return GrubEnvBlock.format(new java.util.LinkedHashMap<>(Map.of(lines[0], lines[1])));
    }

    @Test
    void savedEntry_isTheDefault_andSavedefaultWritesTheChosenPath() {
        Map<String, String> files = new HashMap<>(Map.of("/boot/grub/grubenv", grubenv("saved_entry", "adv>v60"),
                "/vmlinuz-6.0", "k", "/vmlinuz-6.1", "k", "/vmlinuz", "k"));
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults()
                .withDisk(disk(files)));
        assertEquals("1>1", evaluation.menu().defaultPath().orElseThrow());
        RecordingBootCommands boot = new RecordingBootCommands(disk(files));
        EntryRun run = evaluation.run("adv>v61", boot);
        assertTrue(run.booted());
        String block = run.environmentBlocks().get("(hd0,gpt1)/boot/grub/grubenv");
        assertEquals("adv>v61", GrubEnvBlock.parse(block).get("saved_entry"));
    }

    @Test
    void nextEntry_winsOnce_andIsClearedInTheCopy() {
        Map<String, String> files = new HashMap<>(Map.of("/boot/grub/grubenv", grubenv("next_entry", "simple")));
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults()
                .withDisk(disk(files)));
        assertEquals("0", evaluation.menu().defaultPath().orElseThrow());
        assertEquals("", GrubEnvBlock.parse(evaluation.savedEnvironmentBlocks()
                .get("(hd0,gpt1)/boot/grub/grubenv")).get("next_entry"));
        assertEquals(1024, evaluation.savedEnvironmentBlocks().get("(hd0,gpt1)/boot/grub/grubenv").length());
    }
}
