package jgrub.efi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The timer interrupt of jgrub's boot services: what OVMF gives an EFI program and jgrub's guest otherwise lacks.
 * UEFI 2.10 section 2.3.4 has images entered with interrupts enabled, "though no interrupt services are supported
 * other than the UEFI boot services timer functions"; programs count on that tick: iPXE's idle loop
 * ({@code efi_cpu_nap}) executes {@code hlt} and waits for it.
 *
 * <p>Before the image runs, guest code in the stub page ({@link EfiStubs}, the handoff routine) programs the 8259
 * PICs (vectors {@link #VECTOR_BASE}.., only IRQ0 unmasked), the 8254 PIT's channel 0 at {@link #TICK_HZ} and loads
 * jgrub's IDT, then enables interrupts. The tick's handler only acknowledges the PIC and returns: it wakes a halted
 * CPU, and the service call the woken program makes next is where jgrub fires due timers and runs their notification
 * functions ({@link EfiEvents}), as before. Exceptions have no gate (vectors 0-31 are not present), so a fault still
 * ends in a triple fault, reported as it always was.
 *
 * <p>The interrupt flag follows the TPL as in EDK2's CoreRaiseTpl/CoreRestoreTpl: raising to TPL_HIGH_LEVEL clears it,
 * dropping below TPL_HIGH_LEVEL sets it, and nothing else touches it (a program's own {@code cli} stands). A
 * successful ExitBootServices leaves interrupts disabled, the PIT stopped and both PICs masked, as OVMF's timer
 * driver and CPU protocol leave them; the OS then owns the interrupt controllers and the IDT. Java says which of
 * these the stub does on its way back through a mailbox field ({@link Directive}), since port I/O and the flag are
 * the guest's to change.
 */
final class EfiInterrupts {

    /** The PIC's IRQ0 lands here (the first vector after the exceptions); the slave's IRQ8 at {@code + 8}. */
    static final int VECTOR_BASE = 0x20;
    /** OVMF's timer period is 10 ms (EfiEvents.DEFAULT_PERIOD_NANOS). */
    static final int TICK_HZ = 100;
    /** The PIT's input clock (8254 data sheet; QEMU's PIT_FREQ). */
    static final int PIT_HZ = 1_193_182;
    /** The code segment of the GDT jgrub's option ROM loads for a 64-bit entry (jgrub-rom.S, CODE64). */
    static final int CODE64_SELECTOR = 0x20;
    static final int IDT_ENTRIES = 256;
    static final int GATE_SIZE = 16;
    static final int IDT_SIZE = IDT_ENTRIES * GATE_SIZE;
    /** Present, DPL 0, 64-bit interrupt gate (Intel SDM vol. 3A section 6.14.1): IF is cleared in the handler. */
    private static final int INTERRUPT_GATE = 0x8E;

    static final int PIC_MASTER_COMMAND = 0x20;
    static final int PIC_MASTER_DATA = 0x21;
    static final int PIC_SLAVE_COMMAND = 0xA0;
    static final int PIC_SLAVE_DATA = 0xA1;
    static final int PIT_CHANNEL0 = 0x40;
    static final int PIT_COMMAND = 0x43;
    /** OCW2 non-specific end of interrupt. */
    static final int PIC_EOI = 0x20;

    /** One {@code out} the guest executes: a byte to an I/O port (all of them below 0x100: {@code out imm8, al}). */
    record PortWrite(int port, int value) {
        PortWrite {
            if (port < 0 || port > 0xFF || value < 0 || value > 0xFF) {
                throw new IllegalArgumentException("port 0x" + Integer.toHexString(port) + " value 0x"
                        + Integer.toHexString(value));
            }
        }
    }

    /** What the stub does to the interrupt state before it returns or calls a notification function. */
    enum Directive {
        /** Leave the flag as the caller has it. */
        NONE,
        /** {@code cli}: the TPL rose to TPL_HIGH_LEVEL. */
        DISABLE,
        /** {@code sti}: the TPL dropped below TPL_HIGH_LEVEL. */
        ENABLE,
        /** ExitBootServices succeeded: {@code cli}, both PICs masked, the PIT stopped. */
        SHUT_DOWN
    }

    /** The 8259A initialisation (ICW1-ICW4, 8259A data sheet) and the PIT's channel 0 as a rate generator. */
    static List<PortWrite> setup() {
        int divisor = (PIT_HZ + TICK_HZ / 2) / TICK_HZ;
        return List.of(
                new PortWrite(PIC_MASTER_COMMAND, 0x11), // ICW1: edge triggered, cascade, ICW4 follows
                new PortWrite(PIC_SLAVE_COMMAND, 0x11),
                new PortWrite(PIC_MASTER_DATA, VECTOR_BASE), // ICW2: vector base
                new PortWrite(PIC_SLAVE_DATA, VECTOR_BASE + 8),
                new PortWrite(PIC_MASTER_DATA, 0x04), // ICW3: the slave on IRQ2
                new PortWrite(PIC_SLAVE_DATA, 0x02), // ICW3: the slave's cascade identity
                new PortWrite(PIC_MASTER_DATA, 0x01), // ICW4: 8086 mode, normal EOI
                new PortWrite(PIC_SLAVE_DATA, 0x01),
                new PortWrite(PIC_MASTER_DATA, 0xFE), // OCW1: only IRQ0 (the PIT)
                new PortWrite(PIC_SLAVE_DATA, 0xFF),
                new PortWrite(PIT_COMMAND, 0x34), // channel 0, low then high byte, mode 2 (rate generator), binary
                new PortWrite(PIT_CHANNEL0, divisor & 0xFF),
                new PortWrite(PIT_CHANNEL0, divisor >>> 8));
    }

    /** After ExitBootServices: every IRQ masked, the PIT's channel 0 left in mode 0 with a count (as Linux stops it). */
    static List<PortWrite> shutDown() {
        return List.of(
                new PortWrite(PIC_MASTER_DATA, 0xFF),
                new PortWrite(PIC_SLAVE_DATA, 0xFF),
                new PortWrite(PIT_COMMAND, 0x30), // channel 0, low then high byte, mode 0 (one shot), binary
                new PortWrite(PIT_CHANNEL0, 0),
                new PortWrite(PIT_CHANNEL0, 0));
    }

    /**
     * The IDT: vector {@link #VECTOR_BASE} (IRQ0) to {@code tick}, every other vector from 32 up to {@code ignore}
     * (a masked IRQ can still arrive as the PIC's spurious IRQ7 or IRQ15, the local APIC's spurious vector is 0xFF),
     * vectors 0-31 not present.
     */
    static byte[] idt(long tick, long ignore) {
        ByteBuffer idt = ByteBuffer.allocate(IDT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int vector = 32; vector < IDT_ENTRIES; vector++) {
            long handler = vector == VECTOR_BASE ? tick : ignore;
            int at = vector * GATE_SIZE;
            idt.putShort(at, (short) handler); // offset 15:0
            idt.putShort(at + 2, (short) CODE64_SELECTOR);
            idt.put(at + 4, (byte) 0); // IST 0: the interrupted stack
            idt.put(at + 5, (byte) INTERRUPT_GATE);
            idt.putShort(at + 6, (short) (handler >>> 16)); // offset 31:16
            idt.putInt(at + 8, (int) (handler >>> 32)); // offset 63:32
        }
        return idt.array();
    }

    /** The 10-byte IDTR operand of {@code lidt} in 64-bit mode: limit, then base. */
    static void writeIdtr(ByteBuffer at, int offset, long idt) {
        at.putShort(offset, (short) (IDT_SIZE - 1));
        at.putLong(offset + 2, idt);
    }

    /** The flag the handoff routine leaves set: jgrub's images start at TPL_APPLICATION with interrupts enabled. */
    private boolean enabled = true;
    private boolean shutDown;

    /**
     * The directive for an answer that leaves the TPL at {@code tpl}: a change of the flag only where the TPL
     * crosses TPL_HIGH_LEVEL, the shutdown once when boot services have been exited, and nothing after that (runtime
     * services leave the OS's interrupt state alone).
     */
    Directive after(long tpl, boolean bootServicesExited) {
        if (shutDown) {
            return Directive.NONE;
        }
        if (bootServicesExited) {
            shutDown = true;
            enabled = false;
            return Directive.SHUT_DOWN;
        }
        boolean wanted = tpl < EfiEvents.TPL_HIGH_LEVEL;
        if (wanted == enabled) {
            return Directive.NONE;
        }
        enabled = wanted;
        return wanted ? Directive.ENABLE : Directive.DISABLE;
    }
}
