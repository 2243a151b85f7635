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
                "je 0x4b", // a notification function to call first
                "mov rax,QWORD PTR [r10+0x40]",
                "ret",
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
        List<String> routines = disassemble(dir, EfiStubs.ROUTINES, EfiStubs.ROUTINES + 0x160);
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
