package jgrub.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Contents;
import jgrub.boot.EntryState;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinuxKernelTest {

    private static byte[] debianKernel() throws Exception {
        return Files.readAllBytes(Prerequisites.payload("vmlinuz"));
    }

    private static Initrd initrd(String path, byte[] bytes) {
        return new Initrd(List.of(new Initrd.File(path, Contents.of(bytes))));
    }

    @Test
    void debianKernel_headerIsAModernRelocatable64BitBzImage() throws Exception {
        SetupHeader h = LinuxKernel.load("/boot/vmlinuz", debianKernel(), List.of()).header();
        assertTrue(h.version() >= 0x020c, h.protocol());
        assertTrue(h.loadsAnywhere());
        assertEquals(0x1000000, h.prefAddress());
        assertEquals(0x200000, h.kernelAlignment());
        assertEquals(21, h.minAlignment());
        assertTrue((h.xloadflags() & SetupHeader.XLF_KERNEL_64) != 0);
        assertEquals(2047, h.cmdlineSize());
        assertEquals(0x100000, h.code32Start());
        assertTrue(h.initSize() > 0x1000000, "init_size 0x" + Long.toHexString(h.initSize()));
    }

    @Test
    void debianKernel_planIsWhatGrubDoesOnSeaBios() throws Exception {
        byte[] file = debianKernel();
        byte[] cpio = "070701 pretend".getBytes(StandardCharsets.US_ASCII);
        LinuxKernel kernel = LinuxKernel.load("/boot/vmlinuz", file, List.of("root=/dev/ram0", "console=ttyS0"))
                .withInitrd(initrd("/boot/initrd.img", cpio));
        SetupHeader h = kernel.header();
        BootPlan plan = kernel.plan(Images.firmware(Images.seabios2g()));
        assertEquals("Linux", plan.protocol());

        Segment k = Images.named(plan.segments(), "Linux kernel");
        assertEquals(0x1000000, k.address());
        long protectedSize = file.length - h.protectedModeOffset();
        assertEquals(protectedSize, k.contents().size());
        assertEquals(protectedSize, k.memorySize());
        byte[] loaded = Images.bytes(k);
        assertEquals(file[(int) h.protectedModeOffset()], loaded[0]);
        assertEquals(file[file.length - 1], loaded[loaded.length - 1]);

        // GRUB: initrd as high as it goes below min(initrd_addr_max, 0x37ffffff) - 64 KiB, page aligned.
        Segment initrd = Images.named(plan.segments(), "initrd");
        assertEquals(0x37fee000L, initrd.address());
        assertArrayEquals(cpio, Images.bytes(initrd));

        // GRUB: 7 map entries -> mmap room 0x2000, + zero page -> 0x3000, but 0x27 setup sectors -> 0x5000 is the
        // command line's offset; + 2048 bytes of command line -> 0x6000 bytes, at the top of [0x10000, 0x90000).
        long clOffset = Math.max(0x3000, ((h.setupSects() << 9) + 0xfff) & ~0xfffL);
        long realSize = (clOffset + 2048 + 0xfff) & ~0xfffL;
        Segment zp = Images.named(plan.segments(), "Linux boot_params");
        assertEquals(0x90000 - realSize, zp.address());
        Segment cl = Images.named(plan.segments(), "Linux command line");
        assertEquals(zp.address() + clOffset, cl.address());
        String line = new String(Images.bytes(cl), StandardCharsets.US_ASCII);
        assertEquals("BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 console=ttyS0", line.substring(0, line.indexOf('\0')));
        assertEquals(2048, cl.contents().size());

        ByteBuffer b = Images.le(Images.bytes(zp));
        assertEquals(4096, b.capacity());
        assertEquals(0x53726448, b.getInt(0x202));
        assertEquals(h.version(), Short.toUnsignedInt(b.getShort(0x206)));
        assertEquals(0x72, Byte.toUnsignedInt(b.get(0x210)));
        assertEquals(0x81, Byte.toUnsignedInt(b.get(0x211)));
        assertEquals(0x1000000, b.getInt(0x214));
        assertEquals(0x37fee000, b.getInt(0x218));
        assertEquals(cpio.length, b.getInt(0x21c));
        assertEquals(0x8e00, Short.toUnsignedInt(b.getShort(0x224)));
        assertEquals(cl.address(), Integer.toUnsignedLong(b.getInt(0x228)));
        assertEquals(0x200000, b.getInt(0x230));
        assertEquals(0x0100, b.getShort(0x1fc));
        assertEquals(0, b.getShort(0x1fe));
        assertEquals(0xa33f, Short.toUnsignedInt(b.getShort(0x20)));
        assertEquals(0x1000, b.getShort(0x22));
        assertEquals(0x8000, Short.toUnsignedInt(b.getShort(0x02)));
        assertEquals(0x8000, b.getInt(0x1e0));
        assertEquals(1, b.get(0x0f));
        assertEquals(3, b.get(0x06));
        assertEquals(80, b.get(0x07));
        assertEquals(25, b.get(0x0e));
        List<MemoryRegion> map = Images.seabios2g();
        assertEquals(map.size(), b.get(0x1e8));
        for (int i = 0; i < map.size(); i++) {
            int at = 0x2d0 + 20 * i;
            assertEquals(map.get(i).base(), b.getLong(at));
            assertEquals(map.get(i).length(), b.getLong(at + 8));
            assertEquals(map.get(i).type().e820(), b.getInt(at + 16));
        }

        EntryState.Protected32 entry = assertInstanceOf(EntryState.Protected32.class, plan.entry());
        assertEquals(0x1000000, entry.eip());
        assertEquals(zp.address(), entry.esi());
        assertEquals(zp.address(), entry.esp());
        assertEquals(0, entry.eax());
        assertEquals(0, entry.ebx());
    }

    @Test
    void withoutInitrd_ramdiskFieldsAreZeroAndRootDevIsTheKernels() throws Exception {
        byte[] image = Images.bzImage();
        Images.le(image).putShort(0x1fc, (short) 0x0803);
        BootPlan plan = LinuxKernel.load("/k", image, List.of()).plan(Images.firmware(Images.seabios2g()));
        ByteBuffer b = Images.le(Images.bytes(Images.named(plan.segments(), "Linux boot_params")));
        assertEquals(0, b.getInt(0x218));
        assertEquals(0, b.getInt(0x21c));
        assertEquals(0x0803, b.getShort(0x1fc));
        assertEquals(3, plan.segments().size());
    }

    @Test
    void notRelocatable_loadsAt1MiB_andEntersAtCode32Start() throws Exception {
        byte[] image = Images.bzImage();
        Images.le(image).put(0x234, (byte) 0);
        BootPlan plan = LinuxKernel.load("/k", image, List.of()).plan(Images.firmware(Images.seabios2g()));
        assertEquals(0x100000, Images.named(plan.segments(), "Linux kernel").address());
        assertEquals(0x100000, ((EntryState.Protected32) plan.entry()).eip());
        ByteBuffer b = Images.le(Images.bytes(Images.named(plan.segments(), "Linux boot_params")));
        assertEquals(1, b.getInt(0x230));
    }

    @Test
    void prefAddressTaken_kernelGoesAlignedAbove16MiB_withGrubsHalvedKernelAlignment() throws Exception {
        List<MemoryRegion> map = List.of(
                new MemoryRegion(0x0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x100000, 0xf00000, MemoryType.USABLE),
                new MemoryRegion(0x1000000, 0x100000, MemoryType.RESERVED),
                new MemoryRegion(0x1100000, 0x7ef00000L, MemoryType.USABLE));
        BootPlan plan = LinuxKernel.load("/k", Images.bzImage(), List.of()).plan(Images.firmware(map));
        assertEquals(0x1200000, Images.named(plan.segments(), "Linux kernel").address());
        assertEquals(0x1200000, ((EntryState.Protected32) plan.entry()).eip());
        ByteBuffer b = Images.le(Images.bytes(Images.named(plan.segments(), "Linux boot_params")));
        // grub_cmd_linux's loop decrements the alignment once more after the allocation that succeeds.
        assertEquals(0x100000, b.getInt(0x230));
    }

    @Test
    void memOnTheCommandLine_lowersTheInitrdLimit_quietSetsItsLoadflag() throws Exception {
        BootPlan plan = LinuxKernel.load("/k", Images.bzImage(), List.of("mem=512M", "quiet"))
                .withInitrd(initrd("/i", new byte[10])).plan(Images.firmware(Images.seabios2g()));
        assertEquals(0x1ffef000L, Images.named(plan.segments(), "initrd").address());
        ByteBuffer b = Images.le(Images.bytes(Images.named(plan.segments(), "Linux boot_params")));
        assertEquals(0xa1, Byte.toUnsignedInt(b.get(0x211)));
    }

    @Test
    void initrdLargerThanItsLimit_isRefusedInGrubsWords() throws Exception {
        byte[] image = Images.bzImage();
        Images.le(image).putInt(0x22c, 0x1010000);
        LinuxKernel kernel = LinuxKernel.load("/k", image, List.of())
                .withInitrd(initrd("/i", new byte[0x10000]));
        BootException e = assertThrows(BootException.class, () -> kernel.plan(Images.firmware(Images.seabios2g())));
        assertEquals("initrd (0x10000 bytes): the initrd is too big: it would start at 0xff0000, inside the "
                + "kernel's init_size, which ends at 0x1010000", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"512M, 536870912", "0x1000k, 4194304", "2g, 2147483648", "010, 8", "abc, 0", "1T, 1", "0, 0"})
    void memSize_readsLikeGrubsStrtoul(String value, long bytes) {
        assertEquals(bytes, LinuxKernel.memSize(value));
    }

    @Test
    void initrdFiles_areConcatenatedOnFourByteBoundaries() throws Exception {
        Initrd initrd = new Initrd(List.of(new Initrd.File("a", Contents.of(new byte[] {1, 2, 3, 4, 5})),
                new Initrd.File("b", Contents.of(new byte[] {6, 7})),
                new Initrd.File("c", Contents.of(new byte[] {8}))));
        assertEquals(0, initrd.offset(0));
        assertEquals(8, initrd.offset(1));
        assertEquals(12, initrd.offset(2));
        assertEquals(13, initrd.size());
        ByteBuffer out = ByteBuffer.allocate(13);
        initrd.contents().writeTo(out);
        byte[] expected = {1, 2, 3, 4, 5, 0, 0, 0, 6, 7, 0, 0, 8};
        assertArrayEquals(expected, out.array());
        // The same bytes handed over piece by piece (LoadFile2's copy into the guest's buffer).
        java.io.ByteArrayOutputStream pieces = new java.io.ByteArrayOutputStream();
        initrd.contents().copyTo(java.nio.channels.Channels.newChannel(pieces));
        assertArrayEquals(expected, pieces.toByteArray());
    }

    @Test
    void commandLine_startsWithBootImageAndQuotesAsGrubDoes() throws Exception {
        assertEquals("BOOT_IMAGE=(hd0,gpt2)/vmlinuz-6.1 root=UUID=x \"a b\" c\\\"d",
                LinuxKernel.load("(hd0,gpt2)/vmlinuz-6.1", Images.bzImage(), List.of("root=UUID=x", "a b", "c\"d"))
                        .commandLine());
    }
}
