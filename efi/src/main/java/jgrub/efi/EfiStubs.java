package jgrub.efi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jgrub.machine.GuestLayout;

/**
 * The x86-64 code every EFI function pointer jgrub hands out points at. Each service has a 16-byte entry that loads
 * its number and jumps to one common trampoline; the trampoline stores the Microsoft x64 argument registers (RCX, RDX,
 * R8, R9), RSP (further arguments are on the stack above the 32-byte shadow space) and CR3 (to translate the caller's
 * pointers) in the call mailbox, rings jgrub's doorbell and spins until jgrub has written the result. The mailbox is
 * addressed RIP-relative, so the stubs work wherever the code and mailbox pages are mapped together: identity before
 * ExitBootServices, and in Xen's runtime-services page tables after.
 *
 * <p>Layout: the code page holds the trampoline at offset 0, the entries from {@link #ENTRIES} and the routines from
 * {@link #ROUTINES}: StartImage, Exit, the interrupt-state routine, the handoff routine and two interrupt handlers;
 * the mailbox is the page that follows it.
 *
 * <p>The timer interrupt ({@link EfiInterrupts}): an EFI boot enters the handoff routine first, which programs the
 * PICs and the PIT with {@code out} instructions, loads jgrub's IDT (its IDTR in the mailbox), enables interrupts and
 * jumps to the entry point in the mailbox. Every answer carries a directive in {@link #MAILBOX_INTERRUPTS} that the
 * trampoline applies before it returns or calls a notification function ({@code cli} when the TPL rises to
 * TPL_HIGH_LEVEL, {@code sti} when it drops below, the timer's shutdown after ExitBootServices). The tick's handler
 * acknowledges the PIC and returns; it only wakes a halted CPU.
 *
 * <p>StartImage and Exit need guest code of their own, since a nested image runs in the guest while its StartImage is
 * in progress (UEFI 2.10 section 7.4.2; EDK2 and U-Boot run it on the caller's stack and return from StartImage by a
 * long jump when it calls Exit). The StartImage routine saves the caller's callee-saved registers of the Microsoft
 * x64 convention (RBX, RBP, RDI, RSI, R12-R15, XMM6-XMM15), asks Java (service START_IMAGE) to check the handle,
 * and on success calls the entry Java left in the mailbox with RCX = ImageHandle, RDX = SystemTable and 32 bytes of
 * shadow space; when the entry returns, it reports RAX (service NESTED_IMAGE_RETURNED), restores the registers and
 * returns the status. The Exit routine asks Java (service EXIT); when that Exit ends a nested image, Java leaves the
 * StartImage routine's stack pointer in the mailbox and the routine continues there, at the restore, with RAX =
 * ExitStatus. Both routines reach the trampoline by a call, so the RSP it records is 8 below theirs; neither service
 * takes stack arguments.
 *
 * <p>Notification functions of events (UEFI 2.10 section 7.1) are guest code that must run while a service is in
 * progress. When Java answers a ring with {@link #STATUS_NOTIFY} instead of {@link #STATUS_DONE}, the trampoline
 * calls the function in the mailbox with RCX and RDX from the mailbox, on the caller's stack realigned to 16 bytes with
 * 32 bytes of shadow space, then rings again as service NOTIFY_RETURNED and waits as before; the service's result
 * comes with the last STATUS_DONE. A notification function may itself call services (and be given further
 * functions to call): each call waits in its own trampoline frame, and Java keeps the calls in progress as a stack.
 */
public final class EfiStubs {

    /** The I/O port of jgrub's doorbell (an isa-debugcon device), as {@link GuestLayout} documents it. */
    public static final int DOORBELL_PORT = GuestLayout.DOORBELL_PORT;
    /** The byte an EFI call rings the doorbell with. */
    public static final int DOORBELL_EFI_CALL = 0x45;

    public static final int CODE_SIZE = 4096;
    public static final int ENTRIES = 0x100;
    public static final int ENTRY_SIZE = 16;
    /** Where the StartImage and Exit routines start; the entries end before it. */
    public static final int ROUTINES = 0xC00;
    public static final int MAX_SERVICES = (ROUTINES - ENTRIES) / ENTRY_SIZE;

    /** Mailbox fields, relative to the mailbox page. */
    public static final int MAILBOX_SIGNATURE = 0x00;
    public static final int MAILBOX_SERVICE = 0x08;
    public static final int MAILBOX_STATUS = 0x0c;
    public static final int MAILBOX_RCX = 0x10;
    public static final int MAILBOX_RDX = 0x18;
    public static final int MAILBOX_R8 = 0x20;
    public static final int MAILBOX_R9 = 0x28;
    public static final int MAILBOX_RSP = 0x30;
    public static final int MAILBOX_CR3 = 0x38;
    public static final int MAILBOX_RESULT = 0x40;
    /** What the StartImage routine enters (written by Java when START_IMAGE succeeds). */
    public static final int MAILBOX_START_ENTRY = 0x48;
    public static final int MAILBOX_START_HANDLE = 0x50;
    public static final int MAILBOX_START_SYSTEM_TABLE = 0x58;
    /** Non-zero after an Exit that ends a nested image: the StartImage routine's stack to resume on. */
    public static final int MAILBOX_RESUME_RSP = 0x60;
    /** With {@link #STATUS_NOTIFY}: the notification function to call and its two arguments (Event, Context). */
    public static final int MAILBOX_NOTIFY_FUNCTION = 0x68;
    public static final int MAILBOX_NOTIFY_RCX = 0x70;
    public static final int MAILBOX_NOTIFY_RDX = 0x78;
    /** Where the handoff routine jumps once the timer runs: the image's (or kernel's) entry point. */
    public static final int MAILBOX_HANDOFF_ENTRY = 0x80;
    /** With every answer: what the stub does to the interrupt state first ({@link EfiInterrupts.Directive}). */
    public static final int MAILBOX_INTERRUPTS = 0x88;
    /** The 10-byte operand of the handoff routine's {@code lidt}: jgrub's IDT. */
    public static final int MAILBOX_IDTR = 0x90;
    /** The mailbox fields end here. */
    public static final int MAILBOX_SIZE = 0xA0;

    public static final int STATUS_IDLE = 0;
    public static final int STATUS_PENDING = 1;
    public static final int STATUS_DONE = 2;
    /** Not done yet: call the notification function in the mailbox, then ring NOTIFY_RETURNED. */
    public static final int STATUS_NOTIFY = 3;
    /** "JEFI" */
    public static final int SIGNATURE = 0x4946454a;

    private EfiStubs() {
    }

    /** The assembled page and where its interrupt routines landed. */
    private record Assembled(byte[] code, int handoff, int tick, int ignore) {
    }

    /** Assembled on first use, after the tables the assembler reads are initialised. */
    private static final class Once {
        static final Assembled ASSEMBLED = assemble();
    }

    /** The code page for stubs whose mailbox is the next page. */
    public static byte[] code() {
        return Once.ASSEMBLED.code().clone();
    }

    /** Offset of the handoff routine: timer and IDT set up, interrupts enabled, then the entry in the mailbox. */
    public static int handoff() {
        return Once.ASSEMBLED.handoff();
    }

    /** Offset of the timer tick's handler (IRQ0). */
    static int tickHandler() {
        return Once.ASSEMBLED.tick();
    }

    /** Offset of the handler of every other interrupt vector: a plain {@code iretq}. */
    static int ignoreHandler() {
        return Once.ASSEMBLED.ignore();
    }

    private static Assembled assemble() {
        ByteBuffer code = ByteBuffer.allocate(CODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Arrays.fill(code.array(), (byte) 0xCC); // int3 wherever nothing is meant to run
        int mailboxDisp = CODE_SIZE - 7; // lea is 7 bytes at offset 0; RIP then points at offset 7
        code.put(new byte[] {0x4C, (byte) 0x8D, 0x15}).putInt(mailboxDisp); // lea r10, [rip + mailbox]
        code.put(new byte[] {0x41, (byte) 0x89, 0x42, MAILBOX_SERVICE}); // mov [r10+8], eax
        code.put(new byte[] {0x49, (byte) 0x89, 0x4A, MAILBOX_RCX}); // mov [r10+0x10], rcx
        code.put(new byte[] {0x49, (byte) 0x89, 0x52, MAILBOX_RDX}); // mov [r10+0x18], rdx
        code.put(new byte[] {0x4D, (byte) 0x89, 0x42, MAILBOX_R8}); // mov [r10+0x20], r8
        code.put(new byte[] {0x4D, (byte) 0x89, 0x4A, MAILBOX_R9}); // mov [r10+0x28], r9
        code.put(new byte[] {0x49, (byte) 0x89, 0x62, MAILBOX_RSP}); // mov [r10+0x30], rsp
        code.put(new byte[] {0x41, 0x0F, 0x20, (byte) 0xDB}); // mov r11, cr3
        code.put(new byte[] {0x4D, (byte) 0x89, 0x5A, MAILBOX_CR3}); // mov [r10+0x38], r11
        code.put(new byte[] {0x41, (byte) 0xC7, 0x42, MAILBOX_STATUS}).putInt(STATUS_PENDING); // mov dword [r10+0xc], 1
        code.put(new byte[] {0x66, (byte) 0xBA}).putShort((short) DOORBELL_PORT); // mov dx, DOORBELL_PORT
        code.put(new byte[] {(byte) 0xB0, DOORBELL_EFI_CALL}); // mov al, DOORBELL_EFI_CALL
        code.put((byte) 0xEE); // out dx, al
        code.put(new byte[] {(byte) 0xF3, (byte) 0x90}); // spin: pause
        code.put(new byte[] {0x41, (byte) 0x8B, 0x42, MAILBOX_STATUS}); // mov eax, [r10+0xc]
        code.put(new byte[] {(byte) 0x83, (byte) 0xF8, STATUS_PENDING}); // cmp eax, 1
        code.put(new byte[] {0x74, (byte) 0xF5}); // je spin
        code.put(new byte[] {(byte) 0x83, (byte) 0xF8, STATUS_NOTIFY}); // cmp eax, 3
        code.put(new byte[] {0x74, 0x09}); // je notify
        code.put(new byte[] {0x49, (byte) 0x8B, 0x42, MAILBOX_RESULT}); // mov rax, [r10+0x40]
        int jmpInterrupts = code.position();
        jmp(code, 0); // jmp interrupts (patched below), which returns to the caller
        int callInterrupts = code.position();
        call(code, 0); // notify: call interrupts (patched below)
        code.put(new byte[] {0x49, (byte) 0x89, (byte) 0xE3}); // mov r11, rsp
        code.put(new byte[] {0x48, (byte) 0x83, (byte) 0xE4, (byte) 0xF0}); // and rsp, -16
        code.put(new byte[] {0x48, (byte) 0x83, (byte) 0xEC, 0x30}); // sub rsp, 0x30
        code.put(new byte[] {0x4C, (byte) 0x89, 0x5C, 0x24, 0x20}); // mov [rsp+0x20], r11
        code.put(new byte[] {0x49, (byte) 0x8B, 0x4A, MAILBOX_NOTIFY_RCX}); // mov rcx, [r10+0x70]
        code.put(new byte[] {0x49, (byte) 0x8B, 0x52, MAILBOX_NOTIFY_RDX}); // mov rdx, [r10+0x78]
        code.put(new byte[] {0x41, (byte) 0xFF, 0x52, MAILBOX_NOTIFY_FUNCTION}); // call [r10+0x68]
        code.put(new byte[] {0x48, (byte) 0x8B, 0x64, 0x24, 0x20}); // mov rsp, [rsp+0x20]
        code.put((byte) 0xB8).putInt(EfiService.NOTIFY_RETURNED.ordinal()); // mov eax, NOTIFY_RETURNED
        jmp(code, 0); // jmp trampoline: ring again and wait
        code.position(ROUTINES);
        int startRoutine = code.position();
        int restore = startImageRoutine(code);
        int exitRoutine = code.position();
        exitRoutine(code, restore);
        int interrupts = code.position();
        interruptsRoutine(code);
        code.putInt(jmpInterrupts + 1, interrupts - (jmpInterrupts + 5));
        code.putInt(callInterrupts + 1, interrupts - (callInterrupts + 5));
        int handoff = code.position();
        handoffRoutine(code);
        int tick = code.position();
        code.put((byte) 0x50); // push rax
        out(code, new EfiInterrupts.PortWrite(EfiInterrupts.PIC_MASTER_COMMAND, EfiInterrupts.PIC_EOI));
        code.put((byte) 0x58); // pop rax
        code.put(new byte[] {0x48, (byte) 0xCF}); // iretq
        int ignore = code.position();
        code.put(new byte[] {0x48, (byte) 0xCF}); // iretq
        if (code.position() > CODE_SIZE) {
            throw new IllegalStateException("the stub page overflows");
        }
        for (int service = 0; service < MAX_SERVICES; service++) {
            int at = entry(service);
            code.position(at);
            if (service == EfiService.START_IMAGE.ordinal()) {
                jmp(code, startRoutine);
                continue;
            }
            if (service == EfiService.EXIT.ordinal()) {
                jmp(code, exitRoutine);
                continue;
            }
            if (service == EfiService.IMAGE_RETURNED.ordinal()) {
                // An image's return address: keep its EFI_STATUS (RAX) as the first argument.
                code.put(new byte[] {0x48, (byte) 0x89, (byte) 0xC1}); // mov rcx, rax
            }
            code.put((byte) 0xB8).putInt(service); // mov eax, service
            jmp(code, 0); // jmp trampoline
        }
        return new Assembled(code.array(), handoff, tick, ignore);
    }

    /**
     * Applies the mailbox's {@link EfiInterrupts.Directive} (an ordinal): nothing, {@code cli}, {@code sti}, or the
     * shutdown of ExitBootServices. Reached by a jump from the trampoline's return path (its {@code ret} returns to
     * the service's caller) and by a call before a notification function; changes only R11 and the flags.
     */
    private static void interruptsRoutine(ByteBuffer code) {
        code.put(new byte[] {0x44, (byte) 0x8B, 0x1D}); // mov r11d, [rip + MAILBOX_INTERRUPTS]
        ripToMailbox(code, MAILBOX_INTERRUPTS);
        code.put(new byte[] {0x41, (byte) 0x83, (byte) 0xFB, (byte) EfiInterrupts.Directive.DISABLE.ordinal()});
        int jbNone = code.position();
        code.put(new byte[] {0x72, 0}); // jb none (patched below)
        int jeDisable = code.position();
        code.put(new byte[] {0x74, 0}); // je disable
        code.put(new byte[] {0x41, (byte) 0x83, (byte) 0xFB, (byte) EfiInterrupts.Directive.ENABLE.ordinal()});
        int jeEnable = code.position();
        code.put(new byte[] {0x74, 0}); // je enable
        code.put((byte) 0xFA); // shut down: cli
        code.put((byte) 0x50); // push rax
        for (EfiInterrupts.PortWrite write : EfiInterrupts.shutDown()) {
            out(code, write);
        }
        code.put((byte) 0x58); // pop rax
        code.put((byte) 0xC3); // ret
        shortJump(code, jeDisable);
        code.put(new byte[] {(byte) 0xFA, (byte) 0xC3}); // disable: cli; ret
        shortJump(code, jeEnable);
        code.put(new byte[] {(byte) 0xFB, (byte) 0xC3}); // enable: sti; ret
        shortJump(code, jbNone);
        code.put((byte) 0xC3); // none: ret
    }

    /**
     * Where an EFI boot enters first, with the image's registers: programs the PICs and the PIT, loads jgrub's IDT,
     * enables interrupts and jumps to the entry in the mailbox, every register but RFLAGS.IF as the entry state has
     * them (RAX is saved on the entry stack, below RSP).
     */
    private static void handoffRoutine(ByteBuffer code) {
        code.put((byte) 0x50); // push rax
        for (EfiInterrupts.PortWrite write : EfiInterrupts.setup()) {
            out(code, write);
        }
        code.put((byte) 0x58); // pop rax
        code.put(new byte[] {0x0F, 0x01, 0x1D}); // lidt [rip + MAILBOX_IDTR]
        ripToMailbox(code, MAILBOX_IDTR);
        code.put((byte) 0xFB); // sti (takes effect after the next instruction)
        code.put(new byte[] {(byte) 0xFF, 0x25}); // jmp [rip + MAILBOX_HANDOFF_ENTRY]
        ripToMailbox(code, MAILBOX_HANDOFF_ENTRY);
    }

    /** Points the short jump at {@code at} to the current position. */
    private static void shortJump(ByteBuffer code, int at) {
        int distance = code.position() - (at + 2);
        if (distance > 127) {
            throw new IllegalStateException("short jump of " + distance + " bytes");
        }
        code.put(at + 1, (byte) distance);
    }

    /** mov al, value; out port, al */
    private static void out(ByteBuffer code, EfiInterrupts.PortWrite write) {
        code.put(new byte[] {(byte) 0xB0, (byte) write.value(), (byte) 0xE6, (byte) write.port()});
    }

    /** The disp32 of a RIP-relative operand that ends the instruction: a field of the mailbox page. */
    private static void ripToMailbox(ByteBuffer code, int field) {
        code.putInt(CODE_SIZE + field - (code.position() + 4));
    }

    /** Callee-saved registers of the Microsoft x64 convention, in push order; popped in reverse. */
    private static final byte[][] SAVED = {{0x53}, {0x55}, {0x57}, {0x56}, {0x41, 0x54}, {0x41, 0x55}, {0x41, 0x56},
        {0x41, 0x57}}; // rbx, rbp, rdi, rsi, r12, r13, r14, r15
    /** XMM6-XMM15 (160 bytes) and 8 bytes that realign RSP to 16 after the eight pushes and the return address. */
    private static final int XMM_AREA = 0xA8;

    /** The StartImage routine; returns the offset of its restore path, where the Exit routine resumes. */
    private static int startImageRoutine(ByteBuffer code) {
        for (byte[] push : SAVED) {
            code.put(push); // push r
        }
        code.put(new byte[] {0x48, (byte) 0x81, (byte) 0xEC}).putInt(XMM_AREA); // sub rsp, 0xa8
        for (int x = 6; x <= 15; x++) {
            movdqu(code, 0x7F, x, (x - 6) * 16); // movdqu [rsp + n], xmmX
        }
        code.put((byte) 0xB8).putInt(EfiService.START_IMAGE.ordinal()); // mov eax, START_IMAGE
        call(code, 0); // call trampoline
        code.put(new byte[] {0x48, (byte) 0x85, (byte) 0xC0}); // test rax, rax
        code.put(new byte[] {0x0F, (byte) 0x85}); // jnz restore (patched below)
        int jnz = code.position();
        code.putInt(0);
        leaMailbox(code); // lea r10, [rip + mailbox]
        code.put(new byte[] {0x49, (byte) 0x8B, 0x4A, MAILBOX_START_HANDLE}); // mov rcx, [r10 + 0x50]
        code.put(new byte[] {0x49, (byte) 0x8B, 0x52, MAILBOX_START_SYSTEM_TABLE}); // mov rdx, [r10 + 0x58]
        code.put(new byte[] {0x49, (byte) 0x8B, 0x42, MAILBOX_START_ENTRY}); // mov rax, [r10 + 0x48]
        code.put(new byte[] {0x48, (byte) 0x83, (byte) 0xEC, 0x20}); // sub rsp, 0x20 (shadow space)
        code.put(new byte[] {(byte) 0xFF, (byte) 0xD0}); // call rax
        code.put(new byte[] {0x48, (byte) 0x83, (byte) 0xC4, 0x20}); // add rsp, 0x20
        code.put(new byte[] {0x48, (byte) 0x89, (byte) 0xC1}); // mov rcx, rax
        code.put((byte) 0xB8).putInt(EfiService.NESTED_IMAGE_RETURNED.ordinal()); // mov eax, NESTED_IMAGE_RETURNED
        call(code, 0); // call trampoline: RAX = the status StartImage returns
        int restore = code.position();
        code.putInt(jnz, restore - (jnz + 4));
        for (int x = 6; x <= 15; x++) {
            movdqu(code, 0x6F, x, (x - 6) * 16); // movdqu xmmX, [rsp + n]
        }
        code.put(new byte[] {0x48, (byte) 0x81, (byte) 0xC4}).putInt(XMM_AREA); // add rsp, 0xa8
        for (int i = SAVED.length - 1; i >= 0; i--) {
            byte[] pop = SAVED[i].clone();
            pop[pop.length - 1] += 8; // push r (0x50 + r) -> pop r (0x58 + r)
            code.put(pop);
        }
        code.put((byte) 0xC3); // ret
        return restore;
    }

    /** The Exit routine: a plain call, unless Java left a StartImage stack to resume on. */
    private static void exitRoutine(ByteBuffer code, int restore) {
        code.put((byte) 0xB8).putInt(EfiService.EXIT.ordinal()); // mov eax, EXIT
        call(code, 0); // call trampoline
        leaMailbox(code); // lea r10, [rip + mailbox]
        code.put(new byte[] {0x4D, (byte) 0x8B, 0x5A, MAILBOX_RESUME_RSP}); // mov r11, [r10 + 0x60]
        code.put(new byte[] {0x4D, (byte) 0x85, (byte) 0xDB}); // test r11, r11
        code.put(new byte[] {0x75, 0x01}); // jnz resume
        code.put((byte) 0xC3); // ret
        code.put(new byte[] {0x49, (byte) 0xC7, 0x42, MAILBOX_RESUME_RSP}).putInt(0); // resume: mov qword [r10+0x60], 0
        code.put(new byte[] {0x4C, (byte) 0x89, (byte) 0xDC}); // mov rsp, r11
        jmp(code, restore); // jmp restore, RAX = ExitStatus
    }

    /** movdqu between XMM{@code x} and [rsp + disp32]: opcode 0x7F stores, 0x6F loads. */
    private static void movdqu(ByteBuffer code, int opcode, int x, int displacement) {
        code.put((byte) 0xF3);
        if (x >= 8) {
            code.put((byte) 0x44); // REX.R
        }
        code.put(new byte[] {0x0F, (byte) opcode, (byte) (0x84 | (x & 7) << 3), 0x24}).putInt(displacement);
    }

    private static void leaMailbox(ByteBuffer code) {
        code.put(new byte[] {0x4C, (byte) 0x8D, 0x15}).putInt(CODE_SIZE - (code.position() + 4));
    }

    private static void jmp(ByteBuffer code, int target) {
        code.put((byte) 0xE9).putInt(target - (code.position() + 4));
    }

    private static void call(ByteBuffer code, int target) {
        code.put((byte) 0xE8).putInt(target - (code.position() + 4));
    }

    /** Offset of a service's entry in the code page. */
    public static int entry(int service) {
        if (service < 0 || service >= MAX_SERVICES) {
            throw new IllegalArgumentException("service number " + service + " out of range");
        }
        return ENTRIES + service * ENTRY_SIZE;
    }
}
