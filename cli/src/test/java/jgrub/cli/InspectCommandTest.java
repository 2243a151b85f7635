package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    /** The command line's result, as MainTest runs it. */
    private static MainTest.Run run(String... args) {
        return MainTest.Run.of(args);
    }

    @Test
    void xen_showsBothHeadersTheirTagsAndEntries() {
        Path xen = Prerequisites.payload("xen.gz");
        MainTest.Run run = run("inspect", xen.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains(": gzip, "), run.out());
        assertTrue(run.out().contains("ELF32 EXEC i386 (e_machine 3), entry 0x200000"), run.out());
        assertTrue(run.out().contains("Multiboot header at offset 0x88: flags 0x3 (page-align modules, memory info)"),
                run.out());
        assertTrue(run.out().contains("tag 10 relocatable (optional) at offset 0xc0: min_addr 0x200000 max_addr"
                + " 0xffffffff align 0x200000 preference 2 (high)"), run.out());
        assertTrue(run.out().contains("tag 9 EFI amd64 entry address (optional) at offset 0x108: entry_addr"
                + " 0x3dd531"), run.out());
        assertTrue(run.out().contains("EFI entry 0x3dd531 (64-bit"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void badChecksum_isOneLineNamingFieldAndOffset(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, 0xe85250d6).putInt(12, 0).putInt(16, 24).putInt(20, 0x12345678);
        Path file = dir.resolve("bad.bin");
        Files.write(file, b.array());
        MainTest.Run run = run("inspect", file.toString());
        assertEquals(1, run.code());
        assertEquals("jgrub: " + file + ": Multiboot 2 header: checksum 0x12345678 at offset 0x14 does not make magic"
                + " + architecture + header_length + checksum zero (sum 0xfa86a766) (corrupt)\n",
                run.err().replace("\r\n", "\n"));
    }

    @Test
    void missingFile_isOneLine(@TempDir Path dir) {
        MainTest.Run run = run("inspect", dir.resolve("nope").toString());
        assertEquals(1, run.code());
        assertEquals("jgrub: " + dir.resolve("nope") + ": no such file\n", run.err().replace("\r\n", "\n"));
    }
}
