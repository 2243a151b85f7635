package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EFI application loads and starts a second one from the ESP in jgrub's EFI environment: {@code chainloader} of
 * the parent, which prints a line, builds the child's device path (its DeviceHandle's path plus a file-path node),
 * calls LoadImage and StartImage; the child prints a line, clobbers the callee-saved registers and calls Exit with
 * 0x55; the parent prints its last line only if StartImage returned 0x55 and its own RBX and R12 survived. Both images
 * are assembled here with GNU as (position-independent code, data in .text) and wrapped in a PE32+ file by
 * {@link #pe}, with one DIR64 relocation so that they are relocatable as real images are.
 */
class NestedImageBootTest {

    static final String CHILD_PATH = "\\EFI\\test\\child.efi";

    /** Offsets in EFI_SYSTEM_TABLE and EFI_BOOT_SERVICES (UEFI 2.10 sections 4.3 and 4.4). */
    static final String OFFSETS = """
            .set ST_CONOUT, 0x40
            .set ST_BOOT, 0x60
            .set BS_HANDLE_PROTOCOL, 0x98
            .set BS_LOAD_IMAGE, 0xc8
            .set BS_START_IMAGE, 0xd0
            .set BS_EXIT, 0xd8
            .set LI_DEVICE_HANDLE, 24
            """;

    static final String PARENT = OFFSETS + """
            _start:
                push rbx
                push rsi
                push rdi
                push r12
                sub rsp, 0x48
                mov rbx, rdx
                mov r12, rcx
                mov [rip + image_handle_copy], rcx
                lea rdx, [rip + before]
                call print
                mov rcx, r12
                lea rdx, [rip + li_guid]
                lea r8, [rip + li_ptr]
                mov rax, [rbx + ST_BOOT]
                call [rax + BS_HANDLE_PROTOCOL]
                test rax, rax
                jnz fail
                mov rax, [rip + li_ptr]
                mov rcx, [rax + LI_DEVICE_HANDLE]
                lea rdx, [rip + dp_guid]
                lea r8, [rip + dp_ptr]
                mov rax, [rbx + ST_BOOT]
                call [rax + BS_HANDLE_PROTOCOL]
                test rax, rax
                jnz fail
                mov rsi, [rip + dp_ptr]
                lea rdi, [rip + path_buf]
            1:  cmp byte ptr [rsi], 0x7f
                je 2f
                movzx ecx, word ptr [rsi + 2]
                rep movsb
                jmp 1b
            2:  lea rsi, [rip + file_node]
                mov ecx, file_node_end - file_node
                rep movsb
                xor ecx, ecx
                mov rdx, r12
                lea r8, [rip + path_buf]
                xor r9d, r9d
                mov qword ptr [rsp + 0x20], 0
                lea rax, [rip + child]
                mov [rsp + 0x28], rax
                mov rax, [rbx + ST_BOOT]
                call [rax + BS_LOAD_IMAGE]
                test rax, rax
                jnz fail
                mov rcx, [rip + child]
                xor edx, edx
                xor r8d, r8d
                mov rax, [rbx + ST_BOOT]
                call [rax + BS_START_IMAGE]
                cmp rax, 0x55
                jne fail
                cmp r12, [rip + image_handle_copy]
                jne fail
                lea rdx, [rip + after]
                call print
                xor eax, eax
                jmp out
            fail:
                lea rdx, [rip + failed]
                call print
                mov eax, 1
            out:
                add rsp, 0x48
                pop r12
                pop rdi
                pop rsi
                pop rbx
                ret
            print:
                sub rsp, 0x28
                mov rcx, [rbx + ST_CONOUT]
                call [rcx + 8]
                add rsp, 0x28
                ret
            .balign 8
            li_ptr: .quad 0
            dp_ptr: .quad 0
            child: .quad 0
            image_handle_copy: .quad 0
            li_guid: .long 0x5B1B31A1
                .short 0x9562, 0x11D2
                .byte 0x8E, 0x3F, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B
            dp_guid: .long 0x09576E91
                .short 0x6D3F, 0x11D2
                .byte 0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B
            file_node: .byte 4, 4
                .short 4 + 2 * (%d + 1)
                %s
                .byte 0x7f, 0xff, 4, 0
            file_node_end:
            before: %s
            after: %s
            failed: %s
            .balign 8
            path_buf: .fill 512, 1, 0
            """.formatted(CHILD_PATH.length(), ucs2(CHILD_PATH, true), ucs2("JGRUB-PARENT-BEFORE\r\n", true),
            ucs2("JGRUB-PARENT-AFTER-OK\r\n", true), ucs2("JGRUB-PARENT-FAILED\r\n", true));

    static final String CHILD = OFFSETS + """
            _start:
                sub rsp, 0x28
                mov r12, rcx
                mov rbx, rdx
                mov rcx, [rbx + ST_CONOUT]
                lea rdx, [rip + msg]
                call [rcx + 8]
                mov rcx, r12
                mov edx, 0x55
                xor r8d, r8d
                xor r9d, r9d
                mov rax, [rbx + ST_BOOT]
                mov rbx, -1
                mov r12, -1
                mov rsi, -1
                mov rdi, -1
                call [rax + BS_EXIT]
            3:  hlt
                jmp 3b
            msg: %s
            """.formatted(ucs2("JGRUB-CHILD-RUNS\r\n", true));

    /** A UCS-2 string as GNU as data, NUL-terminated when asked. */
    static String ucs2(String text, boolean terminate) {
        StringBuilder out = new StringBuilder(".short ");
        for (char c : text.toCharArray()) {
            out.append((int) c).append(", ");
        }
        out.append(terminate ? "0" : "").append('\n');
        String s = out.toString();
        return terminate ? s : s.substring(0, s.lastIndexOf(',')) + "\n";
    }

    /** Assembles 64-bit Intel-syntax code with GNU as and returns the raw bytes of .text. */
    static byte[] assemble(Path dir, String name, String source) throws Exception {
        Path as = Prerequisites.program("as");
        Path objcopy = Prerequisites.program("objcopy");
        Path s = dir.resolve(name + ".s");
        Files.writeString(s, "    .intel_syntax noprefix\n    .text\n" + source);
        run(dir, as.toString(), "--64", "-o", name + ".o", s.toString());
        run(dir, objcopy.toString(), "-O", "binary", "-j", ".text", name + ".o", name + ".bin");
        return Files.readAllBytes(dir.resolve(name + ".bin"));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
    }

    /**
     * A PE32+ EFI application around {@code code}: headers in 0x200 bytes, .text (read, write, execute) at RVA
     * 0x1000 entered at its start, .reloc with one DIR64 on a spare quadword after the code (PE/COFF specification
     * sections 3 and 6.6).
     */
    static byte[] pe(byte[] code) {
        int spare = (code.length + 7) & -8;
        int textSize = spare + 8;
        int textRaw = (textSize + 0x1FF) & -0x200;
        int relocRva = 0x1000 + ((textSize + 0xFFF) & -0x1000);
        int relocFile = 0x200 + textRaw;
        int optionalSize = 112 + 16 * 8;
        int pe = 0x80;
        int coff = pe + 4;
        int opt = coff + 20;
        int sections = opt + optionalSize;
        long imageBase = 0x140000000L;
        ByteBuffer b = ByteBuffer.allocate(relocFile + 0x200).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x5A4D).putInt(0x3C, pe).putInt(pe, 0x00004550);
        b.putShort(coff, (short) 0x8664).putShort(coff + 2, (short) 2).putShort(coff + 16, (short) optionalSize)
                .putShort(coff + 18, (short) 0x22);
        b.putShort(opt, (short) 0x20B).putInt(opt + 16, 0x1000).putLong(opt + 24, imageBase)
                .putInt(opt + 32, 0x1000).putInt(opt + 36, 0x200).putInt(opt + 56, relocRva + 0x1000)
                .putInt(opt + 60, 0x200).putShort(opt + 68, (short) 10).putInt(opt + 108, 16)
                .putInt(opt + 112 + 5 * 8, relocRva).putInt(opt + 112 + 5 * 8 + 4, 12);
        section(b, sections, ".text", textSize, 0x1000, textRaw, 0x200, 0xE0000020);
        section(b, sections + 40, ".reloc", 12, relocRva, 0x200, relocFile, 0x42000040);
        b.put(0x200, code);
        b.putLong(0x200 + spare, imageBase + 0x1000);
        b.putInt(relocFile, 0x1000).putInt(relocFile + 4, 12)
                .putShort(relocFile + 8, (short) (0xA000 | spare)).putShort(relocFile + 10, (short) 0);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, String name, int virtualSize, int rva, int rawSize,
            int rawOffset, int characteristics) {
        for (int i = 0; i < name.length(); i++) {
            b.put(at + i, (byte) name.charAt(i));
        }
        b.putInt(at + 8, virtualSize).putInt(at + 12, rva).putInt(at + 16, rawSize).putInt(at + 20, rawOffset)
                .putInt(at + 36, characteristics);
    }

    @Test
    void aChainloadedApplication_loadsAndStartsAnotherFromTheEsp_andGetsItsExitStatus(@TempDir Path dir)
            throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path parent = dir.resolve("parent.efi");
        Path child = dir.resolve("child.efi");
        Files.write(parent, pe(assemble(dir, "parent", PARENT)));
        Files.write(child, pe(assemble(dir, "child", CHILD)));
        Path cfg = dir.resolve("grub.cfg");
        Files.writeString(cfg, "set timeout=0\nmenuentry 'nested' {\n  chainloader /EFI/test/parent.efi\n}\n");
        Path disk = dir.resolve("disk.img");
        BootRun made = BootRun.of(List.of("mkesp", disk.toString(), "--size", "16M",
                cfg + "=/EFI/BOOT/grub.cfg", parent + "=/EFI/test/parent.efi", child + "=/EFI/test/child.efi"));
        assertEquals(0, made.code(), made.tail());

        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--trace-efi", "--until",
                Pattern.quote("JGRUB-PARENT-AFTER-OK"), "--timeout", "120"));
        run.assertReached("JGRUB-PARENT-AFTER-OK");
        String console = run.console();
        int before = console.indexOf("JGRUB-PARENT-BEFORE");
        int inChild = console.indexOf("JGRUB-CHILD-RUNS");
        assertTrue(before >= 0 && inChild > before && console.indexOf("JGRUB-PARENT-AFTER-OK") > inChild,
                run.tail());
    }
}
