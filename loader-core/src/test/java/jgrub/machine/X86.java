package jgrub.machine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand assembly for the test payloads: a few x86 instructions as their Intel SDM vol. 2 encodings, with labels for
 * jumps (rel32) and absolute addresses. The same bytes run in 32-bit protected mode and in 64-bit mode unless a
 * method says otherwise.
 */
final class X86 {

    private final long base;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Object[]> fixups = new ArrayList<>();

    X86(long base) {
        this.base = base;
    }

    X86 bytes(int... values) {
        for (int v : values) {
            code.write(v);
        }
        return this;
    }

    X86 imm32(long value) {
        for (int i = 0; i < 4; i++) {
            code.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    X86 label(String name) {
        labels.put(name, code.size());
        return this;
    }

    private X86 relative(String label) {
        fixups.add(new Object[] {code.size(), label, Boolean.TRUE});
        return imm32(0);
    }

    private X86 absolute(String label) {
        fixups.add(new Object[] {code.size(), label, Boolean.FALSE});
        return imm32(0);
    }

    /** cmp eax, imm32 (with REX.W in 64-bit code: cmp rax, sign-extended imm32). */
    X86 cmpEax(long value, boolean rexW) {
        if (rexW) {
            bytes(0x48);
        }
        return bytes(0x3d).imm32(value);
    }

    /** cmp r32, imm32 for ECX=1, EDX=2, EBX=3, ESP=4 (with REX.W: the 64-bit registers). */
    X86 cmpReg(int reg, long value, boolean rexW) {
        if (rexW) {
            bytes(0x48);
        }
        return bytes(0x81, 0xf8 | reg).imm32(value);
    }

    X86 jne(String label) {
        return bytes(0x0f, 0x85).relative(label);
    }

    X86 je(String label) {
        return bytes(0x0f, 0x84).relative(label);
    }

    X86 jmp(String label) {
        return bytes(0xe9).relative(label);
    }

    /** mov eax, cr0. */
    X86 movEaxCr0() {
        return bytes(0x0f, 0x20, 0xc0);
    }

    /** test eax, imm32. */
    X86 testEax(long mask) {
        return bytes(0xa9).imm32(mask);
    }

    /** mov eax, cs (Sreg 1) or ds (Sreg 3). */
    X86 movEaxSreg(int sreg) {
        return bytes(0x8c, 0xc0 | sreg << 3);
    }

    /** pushf; pop eax (rax in 64-bit code). */
    X86 flagsToEax() {
        return bytes(0x9c, 0x58);
    }

    /** mov eax, [disp32]. */
    X86 loadEax(long address) {
        return bytes(0x8b, 0x04, 0x25).imm32(address);
    }

    /** mov ecx, imm32; rdmsr. */
    X86 rdmsr(long msr) {
        return bytes(0xb9).imm32(msr).bytes(0x0f, 0x32);
    }

    /** mov rax, imm64 (64-bit code only). */
    X86 movRaxImm64(long value) {
        bytes(0x48, 0xb8);
        imm32(value);
        return imm32(value >>> 32);
    }

    /** mov eax, [rax] (64-bit code) or [eax] (32-bit code). */
    X86 loadEaxFromRax() {
        return bytes(0x8b, 0x00);
    }

    /** lidt [address of label]. */
    X86 lidt(String label) {
        return bytes(0x0f, 0x01, 0x1d).absolute(label);
    }

    /** mov esi, address of label. */
    X86 movEsi(String label) {
        return bytes(0xbe).absolute(label);
    }

    /** Writes the zero-terminated string at ESI/RSI to COM1, then powers off through ACPI PM1a (port 0x604). */
    X86 printAndPowerOff() {
        bytes(0x66, 0xba, 0xf8, 0x03);                  // mov dx, 0x3f8
        label("print.loop");
        bytes(0xac, 0x84, 0xc0).je("print.done");         // lodsb; test al, al; jz done
        bytes(0xee).jmp("print.loop");                    // out dx, al
        label("print.done");
        bytes(0x66, 0xba, 0x04, 0x06);                  // mov dx, 0x604
        bytes(0x66, 0xb8, 0x00, 0x20);                  // mov ax, 0x2000: SLP_EN, S5 (QEMU's _S5 is type 0)
        bytes(0x66, 0xef);                              // out dx, ax
        label("print.halt");
        return bytes(0xf4).jmp("print.halt");             // hlt
    }

    X86 ascii(String text) {
        code.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return bytes(0);
    }

    byte[] assemble() {
        byte[] bytes = code.toByteArray();
        for (Object[] fixup : fixups) {
            int at = (Integer) fixup[0];
            Integer target = labels.get((String) fixup[1]);
            if (target == null) {
                throw new IllegalStateException("no label " + fixup[1]);
            }
            long value = (Boolean) fixup[2] ? target - (at + 4) : base + target;
            for (int i = 0; i < 4; i++) {
                bytes[at + i] = (byte) (value >>> (8 * i));
            }
        }
        return bytes;
    }
}
