package jgrub.config.eval;

import jgrub.boot.Platform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jgrub.config.menu.MenuEntry;
import org.junit.jupiter.api.Test;

/** The command line ({@link Shell}) and edited entries ({@link Evaluation#runEdited}) without a disk. */
class ShellTest {

    static final String CONFIG = """
            set greeting=hello
            function hi { echo "$greeting $1"; }
            menuentry 'Xen' {
              multiboot2 /xen.gz console=com1
            }
            submenu 'More' {
              menuentry 'Xen debug' extra {
                multiboot2 /xen.gz loglvl=all $2
              }
            }
            """;

    private static Evaluation evaluation() {
        return ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults());
    }

    @Test
    void linesShareVariablesAndFunctionsOfTheConfig() {
        Shell shell = evaluation().shell(new RecordingBootCommands());
        assertEquals("hello world\n", shell.run("hi world"));
        assertEquals("", shell.run("set greeting=bye"));
        assertEquals("bye again\n", shell.run("hi again"));
        assertEquals("bye", shell.variables().get("greeting"));
    }

    @Test
    void shellDoesNotLeakIntoTheEvaluation() {
        Evaluation evaluation = evaluation();
        evaluation.shell(new RecordingBootCommands()).run("set greeting=bye");
        assertEquals("hello", evaluation.variables().get("greeting"));
    }

    @Test
    void errorsArePrintedAsGrubPrintsThem() {
        Shell shell = evaluation().shell(new RecordingBootCommands());
        assertEquals("error: can't find command `frobnicate'.\n", shell.run("frobnicate"));
        assertEquals("error: you need to load the kernel first.\n", shell.run("boot"));
        // As for a script that ends inside an `if': GRUB's lexer asks for a line that is not there.
        assertEquals("error: out of memory.\n" + jgrub.config.grammar.SyntaxError.GRUB_SYNTAX_ERROR,
                shell.run("if true; then"));
    }

    @Test
    void bootCommandsGoToTheBootCommands() {
        RecordingBootCommands boot = new RecordingBootCommands();
        Shell shell = evaluation().shell(boot);
        shell.run("set root=hd0,gpt2");
        shell.run("multiboot2 /xen.gz dom0_mem=1G");
        assertFalse(boot.booted());
        assertEquals("", shell.run("boot"));
        assertTrue(boot.booted());
        assertEquals(List.of("multiboot2 /xen.gz dom0_mem=1G", "boot"),
                boot.commands().stream().map(BootCommand::toString).toList());
        assertEquals("hd0,gpt2", boot.commands().get(0).root());
    }

    @Test
    void haltEndsTheShell() {
        Shell shell = evaluation().shell(new RecordingBootCommands());
        shell.run("reboot");
        assertTrue(shell.halted());
        assertEquals("", shell.run("echo after"));
    }

    @Test
    void commandNamesFollowThePlatform() {
        Shell efi = evaluation().shell(new RecordingBootCommands());
        assertTrue(efi.commandNames().containsAll(List.of("echo", "ls", "cat", "multiboot2", "chainloader", "hi")));
        // x86_64-efi's command.lst has linux16 too; drivemap is BIOS only.
        assertFalse(efi.commandNames().contains("drivemap"));
        Shell pc = ConfigEvaluator.evaluate("grub.cfg", CONFIG, EvalOptions.defaults().withPlatform(Platform.PC))
                .shell(new RecordingBootCommands());
        assertTrue(pc.commandNames().contains("drivemap"));
    }

    @Test
    void editedEntryRunsTheEditedTextOnce() {
        Evaluation evaluation = evaluation();
        MenuEntry debug = (MenuEntry) evaluation.menu().at("1>0").orElseThrow();
        RecordingBootCommands edited = new RecordingBootCommands();
        EntryRun run = evaluation.runEdited(debug, "multiboot2 /xen.gz loglvl=none $1 $2", edited);
        assertTrue(run.booted());
        assertEquals("1>0", run.entry().orElseThrow().path());
        assertEquals(List.of("multiboot2 /xen.gz loglvl=none Xen debug extra", "boot"),
                edited.commands().stream().map(BootCommand::toString).toList());
        RecordingBootCommands original = new RecordingBootCommands();
        evaluation.run("1>0", original);
        assertEquals("multiboot2 /xen.gz loglvl=all extra", original.commands().get(0).toString());
    }

    @Test
    void lsAndCatWithoutADisk_areSkippedAndSaidToBe() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", "ls /\ncat /grub.cfg\n", EvalOptions.defaults());
        assertEquals(2, evaluation.notices().stream().filter(n -> n.kind() == Notice.Kind.DISK_SKIPPED).count());
        assertEquals("", evaluation.output());
    }
}
