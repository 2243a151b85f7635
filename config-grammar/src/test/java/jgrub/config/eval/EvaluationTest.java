package jgrub.config.eval;

import jgrub.boot.Platform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuItem;
import jgrub.config.menu.Submenu;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    static final String CONFIG = """
            set default="1>gnulinux-6.1-advanced"
            set timeout=5
            menuentry_id_option="--id"
            export menuentry_id_option
            if [ "$grub_platform" = "pc" ]; then xen_rm_opts=; else xen_rm_opts="no-real-mode edd=off"; fi
            export xen_rm_opts
            menuentry 'Debian, with Xen' --class debian --class xen $menuentry_id_option 'xen-simple' extra {
            \tsearch --no-floppy --fs-uuid --set=root 4A47-5242
            \tmultiboot2\t/boot/xen.gz placeholder dom0_mem=512M ${xen_rm_opts} $2
            \tmodule2\t/boot/vmlinuz placeholder root=/dev/ram0 ro
            \tmodule2\t--nounzip   /boot/initrd.img
            }
            submenu 'Advanced options' $menuentry_id_option 'adv' {
              menuentry 'Linux 6.1' $menuentry_id_option 'gnulinux-6.1-advanced' {
                set root='hd0,gpt2'
                linux /vmlinuz-6.1 root=UUID=x ro
                initrd /initrd.img-6.1
              }
            }
            """;

    @Test
    void menu_hasPathsIdsClassesAndSettings() {
        Menu menu = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults()).menu();
        assertEquals(List.of("0", "1", "1>0"), menu.allItems().stream().map(MenuItem::path).toList());
        MenuItem xen = menu.items().get(0);
        assertEquals("xen-simple", xen.id());
        assertEquals(List.of("debian", "xen"), xen.classes());
        assertEquals(List.of("Debian, with Xen", "extra"), xen.args());
        assertTrue(menu.items().get(1) instanceof Submenu);
        assertEquals("gnulinux-6.1-advanced", menu.allItems().get(2).id());
        assertEquals(5, menu.timeout().orElseThrow());
        assertEquals("1>0", menu.defaultPath().orElseThrow());
    }

    @Test
    void runEntry_sendsBootCommandsWithExpandedArguments_thenBoot() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults());
        RecordingBootCommands boot = new RecordingBootCommands();
        EntryRun run = evaluation.run("xen-simple", boot);
        assertEquals("0", run.entry().orElseThrow().path());
        assertEquals(List.of(
                "multiboot2 /boot/xen.gz placeholder dom0_mem=512M no-real-mode edd=off extra",
                "module2 /boot/vmlinuz placeholder root=/dev/ram0 ro",
                "module2 --nounzip /boot/initrd.img",
                "boot"), boot.commands().stream().map(BootCommand::toString).toList());
        assertEquals("/boot/xen.gz", boot.commands().get(0).file());
        assertEquals(List.of("placeholder", "dom0_mem=512M", "no-real-mode", "edd=off", "extra"),
                boot.commands().get(0).commandLine());
        assertTrue(run.booted());
    }

    @Test
    void runDefault_followsSubmenuPath_andRootSetInTheEntry() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", CONFIG,
                EvalOptions.defaults().withPlatform(Platform.PC));
        RecordingBootCommands boot = new RecordingBootCommands();
        EntryRun run = evaluation.runDefault(boot);
        assertEquals("1>0", run.entry().orElseThrow().path());
        assertEquals("hd0,gpt2", boot.commands().get(0).root());
        assertEquals("(hd0,gpt2)/vmlinuz-6.1", boot.commands().get(0).resolvedFile().toString());
        assertTrue(run.fellBack().isEmpty());
    }

    @Test
    void selectorNamingNoEntry_fallsBackToEntryZero_asGrubDoes() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults());
        EntryRun run = evaluation.run("no such title", new RecordingBootCommands());
        assertEquals("0", run.entry().orElseThrow().path());
        assertFalse(run.fellBack().isEmpty());
    }

    @Test
    void endlessLoop_isStoppedWithANotice() {
        Evaluation evaluation = ConfigEvaluator.evaluate("loop.cfg", "while true; do echo x; done\n",
                EvalOptions.defaults().withMaxSteps(10_000));
        assertTrue(evaluation.notices().stream().anyMatch(n -> n.kind() == Notice.Kind.LIMIT));
    }

    @Test
    void endlessRecursion_isStoppedWithANotice() {
        Evaluation evaluation = ConfigEvaluator.evaluate("rec.cfg", "function f { f; }\nf\n",
                EvalOptions.defaults());
        assertTrue(evaluation.notices().stream().anyMatch(n -> n.kind() == Notice.Kind.LIMIT));
    }
}
