package jgrub.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Contents;
import jgrub.boot.EntryState;
import jgrub.boot.Segment;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

class Linux16KernelTest {

    private static Initrd initrd(byte[] bytes) {
        return new Initrd(List.of(new Initrd.File("/boot/initrd.img", Contents.of(bytes))));
    }

    @Test
    void debianKernel_setupAt0x90000_kernelAt1MiB_initrdHigh_enteredInRealMode() throws Exception {
        byte[] file = Files.readAllBytes(Prerequisites.payload("vmlinuz"));
        Linux16Kernel kernel = Linux16Kernel.load("/boot/vmlinuz", file, List.of("console=ttyS0", "vga=normal"))
                .withInitrd(initrd(new byte[0x1234]));
        assertTrue(kernel.bzImage());
        BootPlan plan = kernel.plan(Images.firmware(Images.seabios2g()));

        // GRUB: the setup code as high as it goes below 640 KiB with 0x9000 + cmdline_size + 1 bytes, at most 0x90000.
        Segment real = Images.named(plan.segments(), "Linux real-mode setup");
        assertEquals(0x90000, real.address());
        assertEquals(0x9000 + 2048, real.contents().size());
        byte[] chunk = Images.bytes(real);
        int setupBytes = ((file[0x1f1] & 0xff) + 1) * 512;
        byte[] expectedSetup = Arrays.copyOf(file, setupBytes);
        ByteBuffer b = Images.le(chunk);
        assertEquals(0x72, b.get(0x210));
        assertEquals(0x81, Byte.toUnsignedInt(b.get(0x211)));
        assertEquals(0x8e00, Short.toUnsignedInt(b.getShort(0x224)));
        assertEquals(0x99000, b.getInt(0x228));
        assertEquals(0xffff, Short.toUnsignedInt(b.getShort(0x1fa)));
        String line = new String(chunk, 0x9000, 2048, StandardCharsets.US_ASCII);
        assertEquals("BOOT_IMAGE=/boot/vmlinuz console=ttyS0 vga=normal", line.substring(0, line.indexOf('\0')));
        // Apart from the fields the loader owns, the setup code is the file's.
        for (int off : new int[] {0x1fa, 0x210, 0x211, 0x218, 0x21c, 0x224, 0x228}) {
            Images.le(expectedSetup).putInt(off, 0);
            b.putInt(off, 0);
        }
        assertArrayEquals(expectedSetup, Arrays.copyOf(chunk, setupBytes));

        Segment k = Images.named(plan.segments(), "Linux kernel");
        assertEquals(0x100000, k.address());
        assertEquals(file.length - setupBytes, k.contents().size());

        // initrd16: highest 4 KiB-aligned start whose end is at most 0x37ffffff - 64 KiB; its size not rounded up.
        Segment i = Images.named(plan.segments(), "initrd");
        assertEquals((0x37feffffL - 0x1234) & ~0xfffL, i.address());
        assertEquals(0x1234, i.memorySize());
        ByteBuffer header = Images.le(Images.bytes(real));
        assertEquals(i.address(), Integer.toUnsignedLong(header.getInt(0x218)));
        assertEquals(0x1234, header.getInt(0x21c));

        assertEquals(new EntryState.Real16(0x9020, 0, 0x9000, 0x9000), plan.entry());
    }

    @Test
    void oldKernelWithoutHdrS_isAZImage_at0x10000_andTakesNoInitrd() throws Exception {
        byte[] image = Images.bzImage();
        Images.le(image).putInt(0x202, 0);
        Linux16Kernel kernel = Linux16Kernel.load("/zImage", image, List.of());
        assertFalse(kernel.bzImage());
        BootPlan plan = kernel.plan(Images.firmware(Images.seabios2g()));
        assertEquals(0x10000, Images.named(plan.segments(), "Linux kernel").address());
        ByteBuffer b = Images.le(Images.bytes(Images.named(plan.segments(), "Linux real-mode setup")));
        assertEquals(0xa33f, Short.toUnsignedInt(b.getShort(0x20)));
        assertEquals(0x9000, Short.toUnsignedInt(b.getShort(0x22)));
        // Four setup sectors whatever setup_sects says: the protected-mode part starts at 0xa00.
        assertEquals(0x1000 - 0xa00, Images.named(plan.segments(), "Linux kernel").contents().size());
        BootException e = assertThrows(BootException.class, () -> kernel.withInitrd(initrd(new byte[4])));
        assertEquals("/zImage: the kernel is too old for initrd (no \"HdrS\" 2.00 setup header)", e.getMessage());
    }

    @Test
    void badBootFlag_isRefusedAsByLinux() {
        byte[] image = Images.bzImage();
        Images.le(image).putShort(0x1fe, (short) 0);
        KernelFormatException e = assertThrows(KernelFormatException.class,
                () -> Linux16Kernel.load("k", image, List.of()));
        assertEquals("k: setup header boot_flag 0x0 at offset 0x1fe is not 0xaa55: invalid magic number, not a Linux "
                + "kernel (corrupt)", e.getMessage());
    }
}
