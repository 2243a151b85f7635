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
 * <p>Layout: the code page holds the trampoline at offset 0 and the entries from {@link #ENTRIES}; the mailbox is the
 * page that follows it.
 */
public final class EfiStubs {

    /** The I/O port of jgrub's doorbell (an isa-debugcon device), as {@link GuestLayout} documents it. */
    public static final int DOORBELL_PORT = GuestLayout.DOORBELL_PORT;
    /** The byte an EFI call rings the doorbell with. */
    public static final int DOORBELL_EFI_CALL = 0x45;

    public static final int CODE_SIZE = 4096;
    public static final int ENTRIES = 0x100;
    public static final int ENTRY_SIZE = 16;
    public static final int MAX_SERVICES = (CODE_SIZE - ENTRIES) / ENTRY_SIZE;

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

    public static final int STATUS_IDLE = 0;
    public static final int STATUS_PENDING = 1;
    public static final int STATUS_DONE = 2;
    /** "JEFI" */
    public static final int SIGNATURE = 0x4946454a;

    private EfiStubs() {
    }

    /** The code page for stubs at {@code codeAddress} whose mailbox is the next page. */
    public static byte[] code() {
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
        code.put(new byte[] {0x49, (byte) 0x8B, 0x42, MAILBOX_RESULT}); // mov rax, [r10+0x40]
        code.put((byte) 0xC3); // ret
        for (int service = 0; service < MAX_SERVICES; service++) {
            int at = entry(service);
            code.position(at);
            if (service == EfiService.IMAGE_RETURNED.ordinal()) {
                // An image's return address: keep its EFI_STATUS (RAX) as the first argument.
                code.put(new byte[] {0x48, (byte) 0x89, (byte) 0xC1}); // mov rcx, rax
            }
            code.put((byte) 0xB8).putInt(service); // mov eax, service
            code.put((byte) 0xE9).putInt(-(code.position() + 4)); // jmp trampoline (offset 0)
        }
        return code.array();
    }

    /** Offset of a service's entry in the code page. */
    public static int entry(int service) {
        if (service < 0 || service >= MAX_SERVICES) {
            throw new IllegalArgumentException("service number " + service + " out of range");
        }
        return ENTRIES + service * ENTRY_SIZE;
    }
}
