package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-assembled stubs, disassembled by GNU objdump: what the guest CPU will execute. */
class EfiStubsTest {

    @Test
    void trampolineAndEntries_disassembleToTheIntendedInstructions(@TempDir Path dir) throws Exception {
        Path objdump = Prerequisites.program("objdump");
        Path code = dir.resolve("stubs.bin");
        Files.write(code, EfiStubs.code());
        Process p = new ProcessBuilder(objdump.toString(), "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                "--start-address=0", "--stop-address=0x120", code.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), listing);
        List<String> instructions = listing.lines()
                .filter(l -> l.matches("\\s+[0-9a-f]+:\\t.*"))
                .map(l -> l.replaceFirst("^\\s+[0-9a-f]+:\\t([0-9a-f]{2} )+\\s*\\t?", "").replaceAll("\\s+", " ")
                        .replaceAll(" *#.*", "").trim())
                .filter(s -> !s.isEmpty() && !s.equals("int3"))
                .collect(Collectors.toList());
        assertEquals(List.of(
                "lea r10,[rip+0xff9]",
                "mov DWORD PTR [r10+0x8],eax",
                "mov QWORD PTR [r10+0x10],rcx",
                "mov QWORD PTR [r10+0x18],rdx",
                "mov QWORD PTR [r10+0x20],r8",
                "mov QWORD PTR [r10+0x28],r9",
                "mov QWORD PTR [r10+0x30],rsp",
                "mov r11,cr3",
                "mov QWORD PTR [r10+0x38],r11",
                "mov DWORD PTR [r10+0xc],0x1",
                "mov dx,0xb10",
                "mov al,0x45",
                "out dx,al",
                "pause",
                "mov eax,DWORD PTR [r10+0xc]",
                "cmp eax,0x1",
                "je 0x36", // back to pause
                "cmp eax,0x3",
                "je 0x4f", // a notification function to call first
                "mov rax,QWORD PTR [r10+0x40]",
                "jmp 0xd53", // the interrupt-state routine, which returns to the caller
                "call 0xd53", // notify: the interrupt state first
                "mov r11,rsp",
                "and rsp,0xfffffffffffffff0",
                "sub rsp,0x30",
                "mov QWORD PTR [rsp+0x20],r11",
                "mov rcx,QWORD PTR [r10+0x70]",
                "mov rdx,QWORD PTR [r10+0x78]",
                "call QWORD PTR [r10+0x68]",
                "mov rsp,QWORD PTR [rsp+0x20]",
                "mov eax," + hex(EfiService.NOTIFY_RETURNED.ordinal()),
                "jmp 0x0",
                "mov eax,0x0",
                "jmp 0x0",
                "mov eax,0x1",
                "jmp 0x0"), instructions);
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    private static List<String> disassemble(Path dir, int start, int stop) throws Exception {
        Path objdump = Prerequisites.program("objdump");
        Path code = dir.resolve("stubs.bin");
        Files.write(code, EfiStubs.code());
        Process p = new ProcessBuilder(objdump.toString(), "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                "--start-address=" + start, "--stop-address=" + stop, code.toString()).redirectErrorStream(true)
                .start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), listing);
        return listing.lines()
                .filter(l -> l.matches("\\s+[0-9a-f]+:\\t.*"))
                .map(l -> l.replaceFirst("^\\s+([0-9a-f]+):\\t([0-9a-f]{2} )+\\s*\\t?", "$1: ").replaceAll("\\s+", " ")
                        .replaceAll(" *#.*", "").trim())
                .filter(s -> !s.matches("[0-9a-f]+:") && !s.endsWith("int3"))
                .collect(Collectors.toList());
    }

    /**
     * StartImage saves the caller's callee-saved registers, asks Java, calls the entry with RCX = ImageHandle and
     * RDX = SystemTable on a 16-byte aligned stack with shadow space, reports its return and restores everything;
     * Exit resumes at the restore on the stack Java names. What objdump makes of the bytes is what the CPU runs.
     */
    @Test
    void startImageAndExitRoutines_disassembleToTheIntendedInstructions(@TempDir Path dir) throws Exception {
        int start = EfiService.START_IMAGE.ordinal();
        int exit = EfiService.EXIT.ordinal();
        assertEquals(List.of(
                Integer.toHexString(EfiStubs.entry(start)) + ": jmp 0xc00",
                Integer.toHexString(EfiStubs.entry(exit)) + ": jmp 0xd28"),
                disassemble(dir, EfiStubs.entry(start), EfiStubs.entry(exit) + 16));
        List<String> routines = disassemble(dir, EfiStubs.ROUTINES, EfiStubs.ROUTINES + 0x153);
        List<String> expected = new java.util.ArrayList<>(List.of(
                "c00: push rbx", "c01: push rbp", "c02: push rdi", "c03: push rsi", "c04: push r12", "c06: push r13",
                "c08: push r14", "c0a: push r15", "c0c: sub rsp,0xa8"));
        int at = 0xc13;
        for (int x = 6; x <= 15; x++) {
            expected.add(Integer.toHexString(at) + ": movdqu XMMWORD PTR [rsp+0x" + Integer.toHexString((x - 6) * 16)
                    + "],xmm" + x);
            at += x < 8 ? 9 : 10;
        }
        expected.addAll(List.of(
                "c75: mov eax,0x" + Integer.toHexString(start),
                "c7a: call 0x0",
                "c7f: test rax,rax",
                "c82: jne 0xcb2",
                "c88: lea r10,[rip+0x371]", // the mailbox page at 0x1000
                "c8f: mov rcx,QWORD PTR [r10+0x50]",
                "c93: mov rdx,QWORD PTR [r10+0x58]",
                "c97: mov rax,QWORD PTR [r10+0x48]",
                "c9b: sub rsp,0x20",
                "c9f: call rax",
                "ca1: add rsp,0x20",
                "ca5: mov rcx,rax",
                "ca8: mov eax,0x" + Integer.toHexString(EfiService.NESTED_IMAGE_RETURNED.ordinal()),
                "cad: call 0x0"));
        at = 0xcb2;
        for (int x = 6; x <= 15; x++) {
            expected.add(Integer.toHexString(at) + ": movdqu xmm" + x + ",XMMWORD PTR [rsp+0x"
                    + Integer.toHexString((x - 6) * 16) + "]");
            at += x < 8 ? 9 : 10;
        }
        expected.addAll(List.of(
                "d14: add rsp,0xa8", "d1b: pop r15", "d1d: pop r14", "d1f: pop r13", "d21: pop r12", "d23: pop rsi",
                "d24: pop rdi", "d25: pop rbp", "d26: pop rbx", "d27: ret",
                "d28: mov eax,0x" + Integer.toHexString(exit),
                "d2d: call 0x0",
                "d32: lea r10,[rip+0x2c7]", // the mailbox page at 0x1000
                "d39: mov r11,QWORD PTR [r10+0x60]",
                "d3d: test r11,r11",
                "d40: jne 0xd43",
                "d42: ret",
                "d43: mov QWORD PTR [r10+0x60],0x0",
                "d4b: mov rsp,r11",
                "d4e: jmp 0xcb2"));
        assertEquals(expected, routines);
    }

    /**
     * The interrupt-state routine applies the mailbox's directive (none, cli, sti, or the shutdown of
     * ExitBootServices); the handoff programs the PICs and the PIT, loads the IDT, enables interrupts and enters;
     * the tick acknowledges the PIC; every other vector just returns.
     */
    @Test
    void interruptRoutines_disassembleToTheIntendedInstructions(@TempDir Path dir) throws Exception {
        assertEquals(0xd85, EfiStubs.handoff());
        assertEquals(0xdc9, EfiStubs.tickHandler());
        assertEquals(0xdd1, EfiStubs.ignoreHandler());
        assertEquals(List.of(
                "d53: mov r11d,DWORD PTR [rip+0x32e]", // 0x1088, MAILBOX_INTERRUPTS
                "d5a: cmp r11d,0x1", "d5e: jb 0xd84", "d60: je 0xd80", "d62: cmp r11d,0x2", "d66: je 0xd82",
                "d68: cli", "d69: push rax",
                "d6a: mov al,0xff", "d6c: out 0x21,al", "d6e: mov al,0xff", "d70: out 0xa1,al",
                "d72: mov al,0x30", "d74: out 0x43,al", "d76: mov al,0x0", "d78: out 0x40,al", "d7a: mov al,0x0",
                "d7c: out 0x40,al", "d7e: pop rax", "d7f: ret",
                "d80: cli", "d81: ret", "d82: sti", "d83: ret", "d84: ret",
                "d85: push rax",
                "d86: mov al,0x11", "d88: out 0x20,al", "d8a: mov al,0x11", "d8c: out 0xa0,al",
                "d8e: mov al,0x20", "d90: out 0x21,al", "d92: mov al,0x28", "d94: out 0xa1,al",
                "d96: mov al,0x4", "d98: out 0x21,al", "d9a: mov al,0x2", "d9c: out 0xa1,al",
                "d9e: mov al,0x1", "da0: out 0x21,al", "da2: mov al,0x1", "da4: out 0xa1,al",
                "da6: mov al,0xfe", "da8: out 0x21,al", "daa: mov al,0xff", "dac: out 0xa1,al",
                "dae: mov al,0x34", "db0: out 0x43,al", "db2: mov al,0x9c", "db4: out 0x40,al",
                "db6: mov al,0x2e", "db8: out 0x40,al", "dba: pop rax",
                "dbb: lidt [rip+0x2ce]", // 0x1090, MAILBOX_IDTR
                "dc2: sti",
                "dc3: jmp QWORD PTR [rip+0x2b7]", // 0x1080, MAILBOX_HANDOFF_ENTRY
                "dc9: push rax", "dca: mov al,0x20", "dcc: out 0x20,al", "dce: pop rax", "dcf: iretq",
                "dd1: iretq"), disassemble(dir, 0xd53, 0xdd3));
    }

    @Test
    void routineStackOffsets_matchTheMailboxFields() {
        // The routines' displacements are bytes in the code; the mailbox fields must fit a signed disp8.
        for (int field : new int[] {EfiStubs.MAILBOX_START_ENTRY, EfiStubs.MAILBOX_START_HANDLE,
            EfiStubs.MAILBOX_START_SYSTEM_TABLE, EfiStubs.MAILBOX_RESUME_RSP}) {
            org.junit.jupiter.api.Assertions.assertTrue(field > EfiStubs.MAILBOX_RESULT && field < 0x80);
        }
        org.junit.jupiter.api.Assertions.assertTrue(EfiService.values().length <= EfiStubs.MAX_SERVICES);
    }
}
