package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Contents;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks and writes of a plan against a 128 MiB memory file and SeaBIOS's map for it; no emulator. */
class PlanWriterTest {

    private static final long MIB = 1 << 20;
    /** SeaBIOS's E820 map for -m 128 (as MachineTest reads it from SeaBIOS's own log). */
    private static final Firmware FIRMWARE = new Firmware(List.of(
            new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
            new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
            new MemoryRegion(0x100000, 0x7ee0000, MemoryType.USABLE),
            new MemoryRegion(0x7fe0000, 0x20000, MemoryType.RESERVED)), Optional.empty(), GuestLayout.loaderReserved());

    @TempDir
    Path temp;
    private GuestMemory memory;

    @BeforeEach
    void map() throws IOException {
        Path file = temp.resolve("ram");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(128 * MIB);
        }
        memory = GuestMemory.map(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), 128 * MIB);
    }

    private static BootPlan plan(Segment... segments) {
        return new BootPlan("test", List.of(segments), new EntryState.Protected32(0x100000, 1, 2, 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0x100000 | 0x1000 | 0x100800 | 0x1000 | segment 'b' [0x100800, 0x101800) overlaps segment 'a' [0x100000, 0x101000)",
        "0x400    | 0x10   | 0x200000 | 0x10   | segment 'a' [0x400, 0x410) overlaps memory reserved for jgrub and the BIOS [0x0, 0x500)",
        "0x8000   | 0x10   | 0x200000 | 0x10   | segment 'a' [0x8000, 0x8010) overlaps memory reserved for jgrub and the BIOS [0x1000, 0x10000)",
        "0x9f000  | 0x1000 | 0x200000 | 0x10   | segment 'a' [0x9f000, 0xa0000) is not within usable memory of the firmware map",
        "0x7ff0000| 0x10   | 0x200000 | 0x10   | segment 'a' [0x7ff0000, 0x7ff0010) is not within usable memory of the firmware map",
        "0x7fff000| 0x2000 | 0x200000 | 0x10   | segment 'a' [0x7fff000, 0x8001000) is outside guest RAM (128 MiB)",
        "0x100000000| 0x10 | 0x200000 | 0x10   | segment 'a' [0x100000000, 0x100000010) is outside guest RAM (128 MiB)",
    })
    void badPlacement_isRefusedBeforeAnythingIsWritten(String a, String aSize, String b, String bSize, String message)
            throws Exception {
        Segment first = Segment.of("a", Long.decode(a.strip()), new byte[Integer.decode(aSize.strip())]);
        Segment second = Segment.of("b", Long.decode(b.strip()), new byte[] {1});
        second = new Segment("b", second.address(), second.contents(), Long.decode(bSize.strip()));
        Segment s2 = second;
        memory.writeU32(0x200000, 0x11223344);
        BootException e = assertThrows(BootException.class,
                () -> PlanWriter.write(plan(first, s2), FIRMWARE, memory));
        assertEquals(message, e.getMessage());
        assertEquals(0x11223344, memory.readU32(0x200000));
    }

    @Test
    void segments_areWrittenAndTheirBssZeroed() throws Exception {
        memory.writeU64(0x200008, -1L);
        long[] reply = PlanWriter.write(plan(new Segment("k", 0x200000, Contents.of(new byte[] {1, 2, 3}), 0x10)),
                FIRMWARE, memory);
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}, memory.read(0x200000, 12));
        assertArrayEquals(new long[] {Mailbox.MODE_PROTECTED32, 0x100000, 1, 2, 0, 0, 3, 0, 0}, reply);
    }

    @Test
    void entryReply_carriesEsiInProtectedMode_andCsIpSegmentSpInRealMode() throws Exception {
        Segment k = Segment.of("k", 0x200000, new byte[] {1});
        assertArrayEquals(new long[] {Mailbox.MODE_PROTECTED32, 0x1000000, 0, 0, 0, 0, 0x8a000, 0, 0x8a000},
                PlanWriter.write(new BootPlan("linux", List.of(k),
                        new EntryState.Protected32(0x1000000, 0, 0, 0x8a000, 0x8a000)), FIRMWARE, memory));
        assertArrayEquals(new long[] {Mailbox.MODE_REAL16, 0, 0, 0, 0x9020, 0x9000, 0x9000, 0, 0},
                PlanWriter.write(new BootPlan("linux16", List.of(k), new EntryState.Real16(0x9020, 0, 0x9000, 0x9000)),
                        FIRMWARE, memory));
    }

    @Test
    void contentsShorterThanDeclared_isRefused() {
        Contents liar = new Contents() {
            @Override
            public long size() {
                return 8;
            }

            @Override
            public void writeTo(java.nio.ByteBuffer target) {
                target.put(new byte[4]);
            }
        };
        BootException e = assertThrows(BootException.class,
                () -> PlanWriter.write(plan(new Segment("m", 0x200000, liar, 8)), FIRMWARE, memory));
        assertEquals("m: its contents wrote 4 of 8 bytes", e.getMessage());
    }

    @Test
    void identityMap_coversFourGiBWithTwoMiBPages() throws Exception {
        long cr3 = PlanWriter.identityMap(memory);
        assertEquals(GuestLayout.PAGE_TABLES, cr3);
        long pdpt = memory.readU64(cr3) & ~0xfffL;
        long lastDirectory = memory.readU64(pdpt + 3 * 8) & ~0xfffL;
        assertEquals(0, memory.readU64(pdpt + 4 * 8));
        assertEquals((4L << 30) - (2 << 20) | 0x83, memory.readU64(lastDirectory + 511 * 8));
    }

    @Test
    void guestMemory_refusesRangesOutsideRam() {
        assertThrows(GuestMemoryException.class, () -> memory.read(128 * MIB - 2, 4));
        assertThrows(GuestMemoryException.class, () -> memory.read(-1, 1));
        assertThrows(GuestMemoryException.class, () -> memory.writeU64(Long.MAX_VALUE - 2, 0));
        assertThrows(GuestMemoryException.class, () -> memory.slice(0, Long.MAX_VALUE));
        assertThrows(GuestMemoryException.class, () -> memory.readU32Acquire(0x1002));
    }
}
