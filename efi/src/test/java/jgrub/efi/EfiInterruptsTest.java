package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The timer interrupt of jgrub's boot services: what the guest's handoff programs into the PICs and the PIT, the IDT
 * it loads, and the interrupt flag following the TPL as EDK2 has it, answer by answer through the mailbox.
 */
class EfiInterruptsTest {

    private static EfiInterrupts.PortWrite out(int port, int value) {
        return new EfiInterrupts.PortWrite(port, value);
    }

    @Test
    void setup_remapsThePicsTo0x20_unmasksOnlyIrq0_andRunsThePitAt100Hz() {
        assertEquals(List.of(
                out(0x20, 0x11), out(0xA0, 0x11), // ICW1
                out(0x21, 0x20), out(0xA1, 0x28), // ICW2: vectors 0x20-0x27 and 0x28-0x2F
                out(0x21, 0x04), out(0xA1, 0x02), // ICW3: cascade on IRQ2
                out(0x21, 0x01), out(0xA1, 0x01), // ICW4: 8086 mode
                out(0x21, 0xFE), out(0xA1, 0xFF), // masks: IRQ0 only
                out(0x43, 0x34), out(0x40, 0x9C), out(0x40, 0x2E)), // 1193182 Hz / 11932 = 100 Hz
                EfiInterrupts.setup());
    }

    @Test
    void shutDown_masksEveryIrq_andStopsThePit() {
        assertEquals(List.of(out(0x21, 0xFF), out(0xA1, 0xFF), out(0x43, 0x30), out(0x40, 0), out(0x40, 0)),
                EfiInterrupts.shutDown());
    }

    @Test
    void idt_gatesIrq0ToTheTick_everyOtherVectorAbove31ToTheIgnorer_andNoException() {
        long tick = 0x1_2345_6789L;
        long ignore = 0xABCD_EF01L;
        ByteBuffer idt = ByteBuffer.wrap(EfiInterrupts.idt(tick, ignore)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4096, idt.capacity());
        for (int vector = 0; vector < 256; vector++) {
            int at = vector * 16;
            if (vector < 32) {
                assertEquals(0, idt.get(at + 5) & 0x80, "vector " + vector + " is not present: a fault triple-faults");
                continue;
            }
            long handler = Short.toUnsignedLong(idt.getShort(at)) | Short.toUnsignedLong(idt.getShort(at + 6)) << 16
                    | Integer.toUnsignedLong(idt.getInt(at + 8)) << 32;
            assertEquals(vector == 0x20 ? tick : ignore, handler, "vector " + vector);
            assertEquals(0x20, idt.getShort(at + 2), "the option ROM's 64-bit code segment");
            assertEquals(0, idt.get(at + 4), "no IST");
            assertEquals((byte) 0x8E, idt.get(at + 5), "present 64-bit interrupt gate, DPL 0");
            assertEquals(0, idt.getInt(at + 12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "raise to HIGH_LEVEL, 31, false, DISABLE",
        "raise to NOTIFY, 16, false, NONE",
        "ExitBootServices, 31, true, SHUT_DOWN"})
    void after_fromApplicationLevel(String what, long tpl, boolean exited, EfiInterrupts.Directive expected) {
        assertEquals(expected, new EfiInterrupts().after(tpl, exited));
    }

    @Test
    void after_changesTheFlagOnlyAcrossHighLevel_andNothingAfterTheShutdown() {
        EfiInterrupts interrupts = new EfiInterrupts();
        assertEquals(EfiInterrupts.Directive.NONE, interrupts.after(EfiEvents.TPL_CALLBACK, false));
        assertEquals(EfiInterrupts.Directive.DISABLE, interrupts.after(EfiEvents.TPL_HIGH_LEVEL, false));
        assertEquals(EfiInterrupts.Directive.NONE, interrupts.after(EfiEvents.TPL_HIGH_LEVEL, false),
                "a guest's own sti at TPL_HIGH_LEVEL stands");
        assertEquals(EfiInterrupts.Directive.ENABLE, interrupts.after(EfiEvents.TPL_NOTIFY, false));
        assertEquals(EfiInterrupts.Directive.NONE, interrupts.after(EfiEvents.TPL_APPLICATION, false),
                "a guest's own cli below TPL_HIGH_LEVEL stands");
        assertEquals(EfiInterrupts.Directive.SHUT_DOWN, interrupts.after(EfiEvents.TPL_APPLICATION, true));
        assertEquals(EfiInterrupts.Directive.NONE, interrupts.after(EfiEvents.TPL_APPLICATION, true),
                "runtime services leave the OS's interrupt flag alone");
    }

    /** Rings the mailbox as the trampoline does and returns the directive the answer carries. */
    private static EfiInterrupts.Directive ring(EfiHarness h, EfiService service, long... args) throws Exception {
        ByteBuffer box = h.memory.slice(h.efi.mailbox(), EfiStubs.MAILBOX_SIZE);
        box.putInt(EfiStubs.MAILBOX_SERVICE, service.ordinal());
        long[] regs = new long[4];
        System.arraycopy(args, 0, regs, 0, args.length);
        for (int i = 0; i < 4; i++) {
            box.putLong(EfiStubs.MAILBOX_RCX + 8 * i, regs[i]);
        }
        box.putLong(EfiStubs.MAILBOX_RSP, EfiHarness.STACK);
        box.putLong(EfiStubs.MAILBOX_CR3, 0);
        box.putInt(EfiStubs.MAILBOX_STATUS, EfiStubs.STATUS_PENDING);
        h.efi.serveMailbox();
        assertEquals(EfiStubs.STATUS_DONE, box.getInt(EfiStubs.MAILBOX_STATUS));
        return EfiInterrupts.Directive.values()[box.getInt(EfiStubs.MAILBOX_INTERRUPTS)];
    }

    @Test
    void theMailbox_carriesCliForRaiseTplHigh_stiForItsRestore_andTheShutdownOfExitBootServices() throws Exception {
        EfiHarness h = new EfiHarness();
        assertEquals(EfiInterrupts.Directive.NONE, ring(h, EfiService.GET_NEXT_MONOTONIC_COUNT, h.u64(0)));
        assertEquals(EfiInterrupts.Directive.DISABLE, ring(h, EfiService.RAISE_TPL, EfiEvents.TPL_HIGH_LEVEL));
        assertEquals(EfiInterrupts.Directive.ENABLE, ring(h, EfiService.RESTORE_TPL, EfiEvents.TPL_APPLICATION));
        long size = h.u64(0x10000);
        long key = h.u64(0);
        h.call(EfiService.GET_MEMORY_MAP, size, h.alloc(0x10000), key, h.u64(0), h.u64(0));
        assertEquals(EfiInterrupts.Directive.SHUT_DOWN, ring(h, EfiService.EXIT_BOOT_SERVICES, h.image,
                h.readU64(key)));
        assertEquals(EfiInterrupts.Directive.NONE, ring(h, EfiService.GET_TIME, h.alloc(16), 0));
    }

    @Test
    void handoff_leavesTheEntryInTheMailbox_andTheIdtrPointsAtJgrubsIdt() throws Exception {
        EfiHarness h = new EfiHarness();
        assertEquals(h.efi.stubCode() + EfiStubs.handoff(), h.efi.handoff(0x1234_5000L));
        ByteBuffer box = h.memory.slice(h.efi.mailbox(), EfiStubs.MAILBOX_SIZE);
        assertEquals(0x1234_5000L, box.getLong(EfiStubs.MAILBOX_HANDOFF_ENTRY));
        assertEquals(EfiInterrupts.IDT_SIZE - 1, Short.toUnsignedInt(box.getShort(EfiStubs.MAILBOX_IDTR)));
        long idt = box.getLong(EfiStubs.MAILBOX_IDTR + 2);
        ByteBuffer gate = h.memory.slice(idt + 0x20 * 16, 16);
        long tick = h.efi.stubCode() + EfiStubs.tickHandler();
        assertEquals((short) tick, gate.getShort(0));
        assertEquals((short) (tick >>> 16), gate.getShort(6));
    }
}
