package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real EFI programs that depend on jgrub's events and timers (UEFI 2.10 section 7.1), chainloaded in jgrub's EFI
 * environment: GRUB's menu counts its timeout down and boots the default entry without a key; iPXE (Debian's
 * {@code ipxe}) registers its ExitBootServices notification and its timer tick, whose notification function jgrub
 * has the guest run, waits at its Ctrl-B prompt and goes on to look for a network device to boot from. While it waits
 * it executes {@code hlt} ({@code efi_cpu_nap}), which only the firmware's timer interrupt ends: jgrub's handoff
 * starts the PIT and enables interrupts, as OVMF does (EfiInterrupts). A small image of our own checks that start
 * state, the interrupt flag following the TPL, and that a fault still ends the run as a triple fault.
 */
class EfiEventsBootTest {

    static final Path IPXE = Path.of("/usr/lib/ipxe/ipxe.efi");

    private static Path disk(Path dir, String cfg, String... files) throws Exception {
        Path outer = dir.resolve("grub.cfg");
        Files.writeString(outer, cfg);
        Path disk = dir.resolve("disk.img");
        List<String> args = new java.util.ArrayList<>(List.of("mkesp", disk.toString(), "--size", "32M",
                outer + "=/EFI/BOOT/grub.cfg"));
        args.addAll(List.of(files));
        BootRun made = BootRun.of(args);
        assertEquals(0, made.code(), made.tail());
        return disk;
    }

    @Test
    void grubsMenu_countsItsTimeoutDown_andBootsTheDefaultEntry(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path grub = TestDisks.grubStandalone(dir, """
                set timeout=3
                set default=1
                menuentry 'first' {
                  echo JGRUB-GRUB-WRONG-ENTRY
                }
                menuentry 'second' {
                  echo JGRUB-GRUB-DEFAULT-BOOTED
                }
                """);
        Path disk = disk(dir, "set timeout=0\nmenuentry grub {\n  chainloader /EFI/BOOT/grubx64.efi\n}\n",
                grub + "=/EFI/BOOT/grubx64.efi");

        long start = System.nanoTime();
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--until",
                "JGRUB-GRUB-DEFAULT-BOOTED", "--timeout", "120"));
        double seconds = (System.nanoTime() - start) / 1e9;
        run.assertReached("JGRUB-GRUB-DEFAULT-BOOTED");
        String console = run.console();
        int at = -1;
        for (String left : List.of("in 3s", "in 2s", "in 1s", "in 0s", "JGRUB-GRUB-DEFAULT-BOOTED")) {
            int next = console.indexOf(left, at + 1);
            assertTrue(next > at, "'" + left + "' after the countdown before it" + run.tail());
            at = next;
        }
        assertFalse(console.contains("JGRUB-GRUB-WRONG-ENTRY"), run.tail());
        assertTrue(seconds >= 3, "the countdown took " + seconds + " s");
    }

    @Test
    void ipxe_waitsAtItsCtrlBPrompt_onTheTimerInterrupt_andLooksForANetworkDevice(@TempDir Path dir)
            throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        if (!Files.isRegularFile(IPXE)) {
            Prerequisites.missing("file " + IPXE + " (Debian package ipxe)");
        }
        Path disk = disk(dir, "set timeout=0\nmenuentry ipxe {\n  chainloader /EFI/BOOT/ipxe.efi\n}\n",
                IPXE + "=/EFI/BOOT/ipxe.efi");
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--trace-efi", "--until",
                "No more network devices", "--timeout", "120"));
        run.assertReached("No more network devices");
        assertTrue(run.console().contains("iPXE initialising devices...ok"), run.tail());
        int prompt = run.console().indexOf("Press Ctrl-B for the iPXE command line");
        assertTrue(prompt >= 0 && prompt < run.console().indexOf("No more network devices"), "the prompt's wait ended" + run.tail());
        assertTrue(run.console().contains("Features: DNS HTTP iSCSI NFS TFTP SRP AoE EFI Menu"), run.tail());
        assertTrue(run.err().contains("CreateEvent(0x201, 0x8, ") && !run.err().contains("= EFI_UNSUPPORTED (EFI_"
                + "UNSUPPORTED: events"), "EVT_SIGNAL_EXIT_BOOT_SERVICES at TPL_CALLBACK is accepted" + run.tail());
        assertTrue(run.err().matches("(?s).*efi: notification function 0x[0-9a-f]+ of event 0x[0-9a-f]+ runs at "
                + "TPL 8.*"), "iPXE's timer tick ran in the guest" + run.tail());
    }

    /**
     * The start state every EFI image gets: interrupts enabled (a {@code hlt} ends at the next tick), disabled by
     * RaiseTPL(TPL_HIGH_LEVEL) and enabled again by RestoreTPL; a fault still ends the run as a triple fault, since
     * jgrub's IDT has no exception gates.
     */
    @Test
    void anImage_startsWithInterruptsOn_haltsUntilTheTick_followsTheTpl_andAFaultStillTripleFaults(@TempDir Path dir)
            throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        String source = """
                    push rbx
                    push rsi
                    sub rsp, 0x28
                    mov rbx, rdx                    # the system table
                    pushfq
                    pop rax
                    bt eax, 9                       # RFLAGS.IF at entry
                    jnc bad
                    hlt                             # only the timer interrupt ends this
                    mov rax, [rbx + 0x60]           # BootServices
                    mov ecx, 31
                    call [rax + 0x18]               # RaiseTPL(TPL_HIGH_LEVEL)
                    mov rsi, rax
                    pushfq
                    pop rax
                    bt eax, 9
                    jc bad
                    mov rax, [rbx + 0x60]
                    mov rcx, rsi
                    call [rax + 0x20]               # RestoreTPL(the old TPL)
                    pushfq
                    pop rax
                    bt eax, 9
                    jnc bad
                    mov rcx, [rbx + 0x40]           # ConOut
                    lea rdx, [rip + ok]
                    call [rcx + 8]                  # OutputString
                    ud2                             # #UD: no gate, #NP, no gate, #DF, no gate: triple fault
                bad:
                    mov rcx, [rbx + 0x40]
                    lea rdx, [rip + wrong]
                    call [rcx + 8]
                    mov rax, 1
                    add rsp, 0x28
                    pop rsi
                    pop rbx
                    ret
                ok:
                """ + ucs2("JGRUB-INTERRUPTS-OK\r\n") + "wrong:\n" + ucs2("JGRUB-INTERRUPTS-WRONG\r\n");
        Path image = dir.resolve("interrupts.efi");
        Files.write(image, NestedImageBootTest.pe(NestedImageBootTest.assemble(dir, "interrupts", source)));
        Path disk = disk(dir, "set timeout=0\nmenuentry i {\n  chainloader /EFI/BOOT/interrupts.efi\n}\n",
                image + "=/EFI/BOOT/interrupts.efi");
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--timeout", "60"));
        assertTrue(run.console().contains("JGRUB-INTERRUPTS-OK"), run.tail());
        assertFalse(run.console().contains("JGRUB-INTERRUPTS-WRONG"), run.tail());
        assertTrue(run.code() != 0 && run.err().contains("guest triple fault"), run.tail());
    }

    /** A NUL-terminated UCS-2 string as GNU as directives. */
    private static String ucs2(String text) {
        StringBuilder out = new StringBuilder("    .short ");
        for (char c : text.toCharArray()) {
            out.append((int) c).append(", ");
        }
        return out.append("0\n").toString();
    }
}
