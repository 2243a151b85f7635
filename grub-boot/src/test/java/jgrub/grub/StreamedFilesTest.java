package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootPlan;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.config.ast.Position;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.Status;
import jgrub.efi.EfiBoot;
import jgrub.fat.write.EspBuilder;
import jgrub.fs.Disk;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules and initrds are read from the disk when the machine writes them into guest memory, not held in the heap
 * from the command on: what {@code module2} and {@code initrd} give the plan is the file itself, whose bytes are
 * the file's; a module GRUB would unpack is unpacked at the command, as before.
 */
class StreamedFilesTest {

    @TempDir
    static Path dir;
    static Path disk;
    static Path initrd;
    static Path vmlinuz;

    static final Firmware FIRMWARE = new Firmware(List.of(new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x100000, (512L << 20) - 0x100000, MemoryType.USABLE)), Optional.empty(), List.of());

    @BeforeAll
    static void disk() throws Exception {
        initrd = Prerequisites.payload("initrd.img");
        vmlinuz = Prerequisites.payload("vmlinuz");
        disk = dir.resolve("disk.img");
        new EspBuilder(96L << 20)
                .add(Prerequisites.payload("xen.gz"), "/boot/xen.gz")
                .add(initrd, "/boot/initrd.img")
                .add(vmlinuz, "/boot/vmlinuz")
                .write(disk, false);
    }

    @Test
    void module2s_areTheFilesOnTheDisk_readWhenWritten() throws Exception {
        planned(disk, "hd0,gpt1", plan -> {
            assertStreamed(segment(plan, "module 1"), "(hd0,gpt1)/boot/vmlinuz", vmlinuz);
            assertStreamed(segment(plan, "module 2"), "(hd0,gpt1)/boot/initrd.img", initrd);
        }, "multiboot2 /boot/xen.gz placeholder console=com1", "module2 /boot/vmlinuz placeholder root=/dev/ram0",
                "module2 --nounzip /boot/initrd.img");
    }

    @Test
    void aGzipModule_isUnpackedAtTheCommand_asGrubsFiltersDo() throws Exception {
        planned(disk, "hd0,gpt1", plan -> {
            Segment unpacked = segment(plan, "module 1");
            assertFalse(unpacked.contents() instanceof FileContents, "xen.gz unpacked in the heap");
            assertTrue(unpacked.contents().size() > Files.size(Prerequisites.payload("xen.gz")),
                    "the unpacked size, not the file's");
            assertStreamed(segment(plan, "module 2"), "(hd0,gpt1)/boot/xen.gz", Prerequisites.payload("xen.gz"));
        }, "multiboot2 /boot/xen.gz placeholder", "module2 /boot/xen.gz unpacked",
                "module2 --nounzip /boot/xen.gz packed");
    }

    @Test
    void linuxsInitrd_isTheFileOnTheDisk() throws Exception {
        planned(disk, "hd0,gpt1", plan -> {
            long size = Files.size(initrd);
            Segment ramdisk = plan.segments().stream().filter(s -> s.contents().size() == size)
                    .findFirst().orElseThrow(() -> new AssertionError("no segment of the initrd's size: " + plan));
            assertArrayEquals(Files.readAllBytes(initrd), written(ramdisk));
        }, "linux /boot/vmlinuz console=ttyS0", "initrd /boot/initrd.img");
    }

    /**
     * A file the file system cannot read to its end (here: a bare FAT image cut in the middle of the initrd, which
     * opens with a warning as GRUB's fat.c opens it) loads at the command, as its size is known, and fails when its
     * bytes are copied, naming the file.
     */
    @Test
    void aFileCutShort_failsWhenItsBytesAreWritten_namingIt() throws Exception {
        Path bare = dir.resolve("bare.img");
        new EspBuilder(96L << 20).partitionTable(false).add(Prerequisites.payload("xen.gz"), "/boot/xen.gz")
                .add(initrd, "/boot/initrd.img").write(bare, false);
        // The initrd's first cluster is where its first 4 KiB are in the image; the image is cut half-way through it.
        byte[] bytes = Files.readAllBytes(bare);
        byte[] head = Arrays.copyOf(Files.readAllBytes(initrd), 4096);
        long start = -1;
        for (int at = 0; at + head.length <= bytes.length && start < 0; at += 512) {
            if (Arrays.equals(bytes, at, at + head.length, head, 0, head.length)) {
                start = at;
            }
        }
        assertTrue(start > 0, "the initrd's first bytes in the image");
        try (RandomAccessFile f = new RandomAccessFile(bare.toFile(), "rw")) {
            f.setLength(start + Files.size(initrd) / 2);
        }
        planned(bare, "hd0", plan -> {
            Segment module = segment(plan, "module 1");
            IOException e = assertThrows(IOException.class, () -> written(module));
            assertTrue(e.getMessage().contains("initrd.img"), e.getMessage());
        }, "multiboot2 /boot/xen.gz placeholder", "module2 --nounzip /boot/initrd.img");
    }

    private interface PlanCheck {
        void check(BootPlan plan) throws Exception;
    }

    /**
     * Runs {@code lines} and {@code boot} on {@code image} with {@code root} as {@code $root}, each command
     * succeeding, and checks the plan of what they booted while the disk is still open (the plan's files are read
     * from it).
     */
    private static void planned(Path image, String root, PlanCheck check, String... lines) throws Exception {
        try (Disk open = Disk.open(image)) {
            LoaderCommands c = new LoaderCommands(open, Platform.PC, EfiBoot.Options.defaults());
            for (String line : lines) {
                run(c, root, line);
            }
            run(c, root, "boot");
            check.check(c.protocol().orElseThrow().plan(FIRMWARE));
        }
    }

    private static void run(LoaderCommands c, String root, String line) {
        List<String> words = List.of(line.split(" "));
        Status status = c.execute(new BootCommand(words.get(0), words.subList(1, words.size()), root,
                new Position("grub.cfg", 1, 1)));
        assertTrue(status.ok(), line + ": " + status.message());
    }

    private static Segment segment(BootPlan plan, String prefix) {
        return plan.segments().stream().filter(s -> s.name().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no segment '" + prefix + "' in " + plan.segments()));
    }

    private static void assertStreamed(Segment segment, String name, Path file) throws IOException {
        FileContents contents = assertInstanceOf(FileContents.class, segment.contents(), segment.name());
        assertEquals(name, contents.name());
        byte[] expected = Files.readAllBytes(file);
        assertArrayEquals(expected, written(segment));
        java.io.ByteArrayOutputStream pieces = new java.io.ByteArrayOutputStream();
        contents.copyTo(java.nio.channels.Channels.newChannel(pieces));
        assertArrayEquals(expected, pieces.toByteArray(), "the bytes handed over piece by piece");
    }

    /** The bytes a segment's contents write into a buffer one byte larger, which must keep its last byte. */
    private static byte[] written(Segment segment) throws IOException {
        int size = (int) segment.contents().size();
        ByteBuffer target = ByteBuffer.allocate(size + 1);
        target.put(size, (byte) 0x5a);
        segment.contents().writeTo(target);
        assertEquals(size, target.position(), "the position after the contents");
        assertEquals(0x5a, target.get(size), "the byte after the contents");
        byte[] out = new byte[size];
        target.get(0, out);
        return out;
    }
}
