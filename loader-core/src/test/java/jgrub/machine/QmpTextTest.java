package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The register summary of {@code info registers}, without QEMU. */
class QmpTextTest {

    @Test
    void registers32_summarised() {
        String info = "EAX=2badb002 EBX=00012345 ECX=00000000 EDX=00000000\r\n"
                + "ESI=00000000 EDI=00000000 EBP=00000000 ESP=0007ff00\r\n"
                + "EIP=0010001f EFL=00000046 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
                + "CR0=00000011 CR2=00000000 CR3=00000000 CR4=00000000\r\n";
        assertEquals(", CPU at EIP=0x0010001f (CR0=0x00000011, halted)", CpuState.summary(info));
    }

    @Test
    void registers64_running_summarised() {
        String info = "RAX=0000000036d76289 RBX=0000000000012345\r\nRIP=ffff82d040200000 RFL=00000002 [-------] "
                + "CPL=0 II=0 A20=1 SMM=0 HLT=0\r\nCR0=80010033 CR2=0 CR3=0000000000006000\r\n";
        assertEquals(", CPU at RIP=0xffff82d040200000 (CR0=0x80010033)", CpuState.summary(info));
        assertEquals("", CpuState.summary("no registers here"));
    }
}
