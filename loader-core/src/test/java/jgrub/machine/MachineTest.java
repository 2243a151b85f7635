package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots hand-assembled payloads on the real machine (QEMU, SeaBIOS, the option ROM) and checks what they see and how
 * each kind of ending is reported. Each boot takes about a second.
 */
class MachineTest {

    static final long PAYLOAD = 0x100000;
    private static final int MB2_MAGIC = 0x36d76289;
    private static final int INFO = 0x12345;
    private static final int STACK = 0x7ff00;
    private static final long MARKER_HIGH = 0x100001000L;
    private static final int MARKER = 0x4a475255;

    @TempDir
    Path temp;

    static MachineOptions options(ByteArrayOutputStream console) {
        return MachineOptions.defaults()
                .withQemu(Prerequisites.program("qemu-system-x86_64").toString())
                .withMemory(128L << 20)
                .withTimeout(Duration.ofSeconds(30))
                .withConsole(console);
    }

    private static String text(ByteArrayOutputStream console) {
        return console.toString(StandardCharsets.UTF_8);
    }

    static BootProtocol protected32(byte[] payload) {
        return firmware -> new BootPlan("test", List.of(Segment.of("payload", PAYLOAD, payload)),
                new EntryState.Protected32((int) PAYLOAD, MB2_MAGIC, INFO, STACK));
    }

    /** A payload that runs each check (compare, jump to "bad.NAME" on a mismatch) and prints what it found. */
    private static byte[] checkingPayload(String ok, List<String> checks, java.util.function.Consumer<X86> body) {
        X86 x = new X86(PAYLOAD);
        body.accept(x);
        x.movEsi("ok").jmp("out");
        for (String name : checks) {
            x.label("bad." + name).movEsi("msg." + name).jmp("out");
        }
        x.label("out").printAndPowerOff();
        x.label("ok").ascii(ok + "\n");
        for (String name : checks) {
            x.label("msg." + name).ascii("jgrub-test: BAD " + name + "\n");
        }
        return x.assemble();
    }

    /** Prints {@code lines} and halts with interrupts off, never powering off. */
    static byte[] printAndHang(String lines) {
        X86 x = new X86(PAYLOAD);
        x.movEsi("text");
        x.bytes(0x66, 0xba, 0xf8, 0x03).label("loop").bytes(0xac, 0x84, 0xc0).je("halt").bytes(0xee).jmp("loop");
        x.label("halt").bytes(0xfa, 0xf4).jmp("halt");
        x.label("text").ascii(lines);
        return x.assemble();
    }

    @Test
    void protected32Entry_givesThePayloadGrubsState_andPowerOffEndsTheRun() throws Exception {
        List<String> checks = List.of("eax", "ebx", "ecx", "edx", "esp", "cs", "ds", "paging", "protection", "eflags");
        byte[] payload = checkingPayload("jgrub-test: protected32 entry ok", checks, x -> {
            x.cmpEax(MB2_MAGIC, false).jne("bad.eax");
            x.cmpReg(3, INFO, false).jne("bad.ebx");
            x.cmpReg(1, 0, false).jne("bad.ecx");
            x.cmpReg(2, 0, false).jne("bad.edx");
            x.cmpReg(4, STACK, false).jne("bad.esp");
            x.movEaxSreg(1).cmpEax(0x10, false).jne("bad.cs");
            x.movEaxSreg(3).cmpEax(0x18, false).jne("bad.ds");
            x.movEaxCr0().testEax(0x80000000L).jne("bad.paging");
            x.movEaxCr0().testEax(1).je("bad.protection");
            x.flagsToEax().testEax(0x600).jne("bad.eflags"); // IF (bit 9) and DF (bit 10) clear
        });
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new Machine(options(console)).boot(protected32(payload));
        assertTrue(text(console).contains("jgrub-test: protected32 entry ok\n"), result.message() + "\n" + text(console));
        assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
        assertTrue(result.success(), result.message());
        assertTrue(result.message().startsWith("guest powered off after "), result.message());
        assertTrue(result.lastLines().contains("jgrub-test: protected32 entry ok"), result.lastLines().toString());
        assertTrue(result.handoff().isPresent());
    }

    @Test
    void long64Entry_runsWithIdentityMappedRamAboveAndBelow4GiB() throws Exception {
        List<String> checks = List.of("rax", "rbx", "rcx", "rdx", "rsp", "paging", "efer", "high");
        byte[] payload = checkingPayload("jgrub-test: long64 entry ok", checks, x -> {
            x.cmpEax(MB2_MAGIC, true).jne("bad.rax");
            x.cmpReg(3, INFO, true).jne("bad.rbx");
            x.cmpReg(1, 0x77, true).jne("bad.rcx");
            x.cmpReg(2, 0, true).jne("bad.rdx");
            x.cmpReg(4, STACK, true).jne("bad.rsp");
            x.movEaxCr0().testEax(0x80000000L).je("bad.paging");
            x.rdmsr(0xc0000080L).testEax(0x400).je("bad.efer"); // EFER.LMA
            x.movRaxImm64(MARKER_HIGH).loadEaxFromRax().cmpEax(MARKER, false).jne("bad.high");
        });
        byte[] marker = {0x55, 0x52, 0x47, 0x4a};
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        // 3 GiB below 4 GiB and 128 MiB above it; the file is sparse, so this costs no real memory.
        RunResult result = new Machine(options(console).withMemory((3L << 30) + (128L << 20))).boot(firmware ->
                new BootPlan("test", List.of(Segment.of("payload", PAYLOAD, payload),
                        Segment.of("marker", MARKER_HIGH, marker)),
                        new EntryState.Long64(PAYLOAD, MB2_MAGIC, INFO, 0x77, 0, STACK)));
        assertTrue(text(console).contains("jgrub-test: long64 entry ok\n"), result.message() + "\n" + text(console));
        assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
    }

    private static final Pattern SEABIOS_E820 =
            Pattern.compile("^\\s*\\d+: ([0-9a-f]{16}) - ([0-9a-f]{16}) = (\\d+) ", Pattern.MULTILINE);

    @Test
    void firmwareMap_isWhatSeaBiosReports_andRsdpIsFound() throws Exception {
        Path seabiosLog = temp.resolve("seabios.log");
        AtomicReference<Firmware> seen = new AtomicReference<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MachineOptions options = options(console).withExtraQemuArgs(List.of(
                "-chardev", "file,id=seabios,path=" + seabiosLog, "-device", "isa-debugcon,iobase=0x402,chardev=seabios"));
        RunResult result = new Machine(options).boot(firmware -> {
            seen.set(firmware);
            return protected32(checkingPayload("done", List.of(), x -> { })).plan(firmware);
        });
        assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
        String log = Files.readString(seabiosLog, StandardCharsets.ISO_8859_1);
        String dump = log.substring(log.lastIndexOf("e820 map has"));
        List<MemoryRegion> expected = new ArrayList<>();
        Matcher m = SEABIOS_E820.matcher(dump);
        while (m.find()) {
            long base = Long.parseUnsignedLong(m.group(1), 16);
            long end = Long.parseUnsignedLong(m.group(2), 16);
            expected.add(new MemoryRegion(base, end - base, MemoryType.ofE820(Integer.parseInt(m.group(3)))));
        }
        Firmware firmware = seen.get();
        assertFalse(expected.isEmpty(), dump);
        assertEquals(expected, firmware.memoryMap());
        MemoryRegion low = firmware.memoryMap().get(0);
        assertEquals(MemoryType.USABLE, low.type());
        assertTrue(low.base() == 0 && low.end() <= 0xa0000, low.toString());
        long usable = firmware.memoryMap().stream().filter(r -> r.type() == MemoryType.USABLE)
                .mapToLong(MemoryRegion::length).sum();
        assertTrue(usable > (120L << 20) && usable <= (128L << 20), Long.toString(usable));
        Firmware.AcpiRsdp rsdp = firmware.rsdp().orElseThrow();
        assertEquals("RSD PTR ", new String(rsdp.bytes(), 0, 8, StandardCharsets.US_ASCII));
        assertTrue(rsdp.address() >= 0xe0000 && rsdp.address() < 0x100000, Long.toHexString(rsdp.address()));
        assertEquals(GuestLayout.loaderReserved(), firmware.loaderReserved());
    }

    @Test
    void until_endsTheRunWithSuccessOnTheFirstMatchingLine() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new Machine(options(console).withUntil(Pattern.compile("sec.nd"))).boot(
                protected32(printAndHang("first line\r\nsecond line\r\nthird line\r\n")));
        assertEquals(RunResult.Ending.MATCHED, result.ending(), result.message());
        assertTrue(result.success());
        assertTrue(result.message().matches("matched 'sec\\.nd' at \\d+\\.\\d s: second line"), result.message());
    }

    @Test
    void until_matchesAPromptWithoutNewline_colouredAsGettyDoes() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long startedAt = System.nanoTime();
        RunResult result = new Machine(options(console).withUntil(Pattern.compile("^host login: $"))
                .withStartedAt(startedAt).withTimeout(Duration.ofSeconds(20)))
                .boot(protected32(printAndHang("Debian GNU/Linux 12 host ttyS0\r\n\r\n\u001b[1mhost\u001b[0m login: ")));
        assertEquals(RunResult.Ending.MATCHED, result.ending(), result.message());
        Matcher at = Pattern.compile("matched '\\^host login: \\$' at (\\d+\\.\\d) s: host login:")
                .matcher(result.message());
        assertTrue(at.matches(), result.message());
        double seconds = Double.parseDouble(at.group(1));
        double handoff = (result.timeline().handedOff().orElseThrow() - startedAt) / 1e9;
        double ended = (result.timeline().ended() - startedAt) / 1e9;
        // The message rounds to a tenth.
        assertTrue(seconds >= handoff - 0.05 && seconds <= ended + 0.05, seconds + " not in " + handoff + ".." + ended);
    }

    @Test
    void timeout_endsTheRunWithFailure_sayingWhereTheCpuIs() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new Machine(options(console).withUntil(Pattern.compile("never"))
                .withTimeout(Duration.ofSeconds(2))).boot(protected32(printAndHang("only line\n")));
        assertEquals(RunResult.Ending.TIMED_OUT, result.ending(), result.message());
        assertFalse(result.success());
        assertTrue(result.message().matches("timed out after 2\\.\\d s without a console line matching /never/, "
                + "CPU at EIP=0x[0-9a-f]+ \\(CR0=0x[0-9a-f]+, halted\\)"), result.message());
        assertEquals(List.of("only line"), result.lastLines());
    }

    @Test
    void powerOffBeforeTheUntilLine_isAFailure() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        byte[] payload = checkingPayload("some other line", List.of(), x -> { });
        RunResult result = new Machine(options(console).withUntil(Pattern.compile("never"))).boot(protected32(payload));
        assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
        assertFalse(result.success());
        assertTrue(result.message().endsWith("without a console line matching /never/"), result.message());
    }

    @Test
    void tripleFault_isReportedAsSuch() throws Exception {
        X86 x = new X86(PAYLOAD);
        x.lidt("idt").bytes(0xcc); // int3 with an empty IDT: #GP, double fault, triple fault
        x.label("idt").bytes(0, 0, 0, 0, 0, 0);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new Machine(options(console)).boot(protected32(x.assemble()));
        assertEquals(RunResult.Ending.TRIPLE_FAULT, result.ending(), result.message());
        assertTrue(result.message().startsWith("guest triple fault after "), result.message());
    }

    @Test
    void startedMachine_waitsAtTheDoorbellUntilToldWhatToBoot() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Machine.Started started = new Machine(options(console)).start()) {
            Thread.sleep(1500); // SeaBIOS runs and the ROM rings meanwhile
            byte[] payload = checkingPayload("booted late", List.of(), x -> { });
            RunResult result = started.boot(protected32(payload));
            assertEquals(RunResult.Ending.POWERED_OFF, result.ending(), result.message());
            assertEquals(List.of("booted late"), result.lastLines());
            assertTrue(result.handoff().orElseThrow().toMillis() >= 1500, result.handoff().toString());
        }
    }

    @Test
    void startedMachine_closedWithoutBooting_endsQemu() throws Exception {
        Machine.Started started = new Machine(options(new ByteArrayOutputStream())).start();
        started.close();
        try (var stream = Files.list(Path.of("/dev/shm"))) {
            assertTrue(stream.noneMatch(p -> p.getFileName().toString().startsWith("jgrub-"
                    + ProcessHandle.current().pid() + "-")));
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void guestReset_endsTheRunAsAReset_notATripleFault() throws Exception {
        X86 x = new X86(PAYLOAD);
        x.bytes(0x66, 0xba, 0xf9, 0x0c);  // mov dx, 0xcf9 (PIIX3 reset control)
        x.bytes(0xb0, 0x0e, 0xee);        // mov al, 0x0e (full reset); out dx, al
        x.label("halt").bytes(0xf4).jmp("halt");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new Machine(options(console)).boot(protected32(x.assemble()));
        assertEquals(RunResult.Ending.RESET, result.ending(), result.message());
        assertFalse(result.success());
        assertTrue(result.message().startsWith("guest reset the machine after "), result.message());
    }

    @Test
    void refusedPlan_endsTheRunWithTheLoadersException() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BootException e = assertThrows(BootException.class, () -> new Machine(options(console)).boot(firmware -> {
            throw new BootException("xen.gz: corrupt Multiboot2 header: checksum 0x1 at offset 0x8");
        }));
        assertEquals("xen.gz: corrupt Multiboot2 header: checksum 0x1 at offset 0x8", e.getMessage());
    }

    @Test
    void missingQemu_isACleanError() {
        MachineException e = assertThrows(MachineException.class, () -> new Machine(
                options(new ByteArrayOutputStream()).withQemu("/nonexistent/qemu-system-x86_64")).boot(
                protected32(new byte[] {(byte) 0xf4})));
        assertEquals("QEMU not found: /nonexistent/qemu-system-x86_64 is not an executable file", e.getMessage());
    }

    @Test
    void qemuThatFailsToStart_isACleanErrorWithItsMessage() {
        MachineOptions options = options(new ByteArrayOutputStream())
                .withExtraQemuArgs(List.of("-no-such-option"));
        MachineException e = assertThrows(MachineException.class,
                () -> new Machine(options).boot(protected32(new byte[] {(byte) 0xf4})));
        assertTrue(e.getMessage().matches("QEMU exited with status 1 before the firmware started: "
                + ".*-no-such-option: invalid option"), e.getMessage());
    }

    @Test
    void qemuThatExitsSilently_saysSo() throws Exception {
        Path fake = temp.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        MachineException e = assertThrows(MachineException.class, () -> new Machine(
                options(new ByteArrayOutputStream()).withQemu(fake.toString())).boot(
                protected32(new byte[] {(byte) 0xf4})));
        assertEquals("QEMU exited with status 3 before the firmware started (it printed nothing)", e.getMessage());
    }
}
