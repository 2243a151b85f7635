package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.Segment;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/** Boots hand-assembled payloads on the real machine (QEMU, SeaBIOS, the option ROM) and checks what they see. */
class MachineTest {

    private static final long PAYLOAD = 0x100000;
    private static final int MB2_MAGIC = 0x36d76289;
    private static final int INFO = 0x12345;
    private static final int STACK = 0x7ff00;

    private static MachineOptions options(ByteArrayOutputStream console) {
        return MachineOptions.defaults()
                .withQemu(Prerequisites.program("qemu-system-x86_64").toString())
                .withMemory(128L << 20)
                .withTimeout(Duration.ofSeconds(30))
                .withConsole(console);
    }

    /** Checks a register and on a mismatch prints "BAD name". */
    private static void check(X86 x, List<String> failures, String name, Runnable compareAndJump) {
        compareAndJump.run();
        failures.add(name);
    }

    private static byte[] protected32Payload() {
        X86 x = new X86(PAYLOAD);
        List<String> bad = new java.util.ArrayList<>();
        check(x, bad, "eax", () -> x.cmpEax(MB2_MAGIC, false).jne("bad.eax"));
        check(x, bad, "ebx", () -> x.cmpReg(3, INFO, false).jne("bad.ebx"));
        check(x, bad, "ecx", () -> x.cmpReg(1, 0, false).jne("bad.ecx"));
        check(x, bad, "edx", () -> x.cmpReg(2, 0, false).jne("bad.edx"));
        check(x, bad, "esp", () -> x.cmpReg(4, STACK, false).jne("bad.esp"));
        check(x, bad, "cs", () -> x.movEaxSreg(1).cmpEax(0x10, false).jne("bad.cs"));
        check(x, bad, "ds", () -> x.movEaxSreg(3).cmpEax(0x18, false).jne("bad.ds"));
        check(x, bad, "paging", () -> x.movEaxCr0().testEax(0x80000000L).jne("bad.paging"));
        check(x, bad, "protection", () -> x.movEaxCr0().testEax(1).je("bad.protection"));
        check(x, bad, "eflags", () -> x.flagsToEax().testEax(0x600).jne("bad.eflags")); // IF (9), DF (10)
        x.movEsi("ok").jmp("out");
        for (String name : bad) {
            x.label("bad." + name).movEsi("msg." + name).jmp("out");
        }
        x.label("out").printAndPowerOff();
        x.label("ok").ascii("jgrub-test: protected32 entry ok\n");
        for (String name : bad) {
            x.label("msg." + name).ascii("jgrub-test: BAD " + name + "\n");
        }
        return x.assemble();
    }

    @Test
    void protected32Entry_givesThePayloadGrubsState_andPowerOffEndsTheRun() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        AtomicReference<Firmware> seen = new AtomicReference<>();
        RunResult result = new Machine(options(console)).boot(firmware -> {
            seen.set(firmware);
            return new BootPlan("test", List.of(Segment.of("payload", PAYLOAD, protected32Payload())),
                    new EntryState.Protected32((int) PAYLOAD, MB2_MAGIC, INFO, STACK));
        });
        String out = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("jgrub-test: protected32 entry ok"), result.message() + "\n" + out);
        assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
        assertTrue(result.success(), result.message());
        assertTrue(result.lastLines().contains("jgrub-test: protected32 entry ok"), result.lastLines().toString());
        assertTrue(seen.get() != null);
    }
}
