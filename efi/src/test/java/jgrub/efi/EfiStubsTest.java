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
                "mov rax,QWORD PTR [r10+0x40]",
                "ret",
                "mov eax,0x0",
                "jmp 0x0",
                "mov eax,0x1",
                "jmp 0x0"), instructions);
    }
}
