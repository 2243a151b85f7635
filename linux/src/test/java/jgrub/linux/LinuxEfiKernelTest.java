package jgrub.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jgrub.boot.Contents;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GRUB 2.12's {@code linux} on EFI: the kernel's EFI stub checked before anything runs. */
class LinuxEfiKernelTest {

    private static byte[] debianKernel() throws Exception {
        return Files.readAllBytes(Prerequisites.payload("vmlinuz"));
    }

    private static Initrd initrd() {
        return new Initrd(List.of(new Initrd.File("/boot/initrd.img", Contents.of(new byte[] {1, 2, 3}))));
    }

    private static int optionalHeader(byte[] file) {
        return Images.le(file).getInt(LinuxEfiKernel.E_LFANEW) + LinuxEfiKernel.PE_OPTIONAL_HEADER;
    }

    @Test
    void debianKernel_isAStubThatTakesItsInitrdThroughLoadFile2_withGrubsCommandLine() throws Exception {
        byte[] file = debianKernel();
        LinuxEfiKernel kernel = LinuxEfiKernel.load("/boot/vmlinuz", file, List.of("root=/dev/ram0", "ro",
                "console=ttyS0,115200n8"));
        assertEquals("BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 ro console=ttyS0,115200n8", kernel.commandLine());
        assertTrue(Images.le(file).getShort(optionalHeader(file) + LinuxEfiKernel.MAJOR_IMAGE_VERSION) >= 1);
        assertEquals(3, kernel.withInitrd(initrd()).initrd().orElseThrow().size());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no EFI stub", (Consumer<ByteBuffer>) b -> b.putShort(0, (short) 0xebfa),
                        "k: 0xebfa at offset 0x0 is not \"MZ\": plain image kernel not supported - rebuild with "
                        + "CONFIG_(U)EFI_STUB enabled (unsupported)"),
                Arguments.of("not a bzImage", (Consumer<ByteBuffer>) b -> b.putShort(0x1fe, (short) 0),
                        "k: setup header boot_flag 0x0 at offset 0x1fe is not 0xaa55: invalid magic number, not a "
                        + "Linux kernel (corrupt)"),
                Arguments.of("init_size", (Consumer<ByteBuffer>) b -> b.putInt(0x260, 0x1000),
                        "k: setup header init_size 0x1000 at offset 0x260 is smaller than the protected-mode kernel"),
                Arguments.of("PE signature", (Consumer<ByteBuffer>) b -> b.putInt(b.getInt(0x3c), 0x12345678),
                        "the kernel's EFI stub: k: corrupt PE image: PE signature = 0x12345678 at offset 0x"),
                Arguments.of("PE machine", (Consumer<ByteBuffer>) b -> b.putShort(b.getInt(0x3c) + 4, (short) 0xaa64),
                        "the kernel's EFI stub: k: unsupported PE image: COFF Machine = 0xaa64 at offset 0x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBrokenKernel_isRefusedInOneLine_namingTheField(String name, Consumer<ByteBuffer> mutation, String message)
            throws Exception {
        byte[] file = debianKernel();
        mutation.accept(Images.le(file));
        KernelFormatException e = assertThrows(KernelFormatException.class,
                () -> LinuxEfiKernel.load("k", file, List.of()));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aStubBeforeLoadFile2_bootsWithoutAnInitrd_andRefusesOne() throws Exception {
        byte[] file = debianKernel();
        int at = optionalHeader(file) + LinuxEfiKernel.MAJOR_IMAGE_VERSION;
        Images.le(file).putShort(at, (short) 0);
        LinuxEfiKernel kernel = LinuxEfiKernel.load("/vmlinuz", file, List.of());
        KernelFormatException e = assertThrows(KernelFormatException.class, () -> kernel.withInitrd(initrd()));
        assertEquals("/vmlinuz: PE optional header MajorImageVersion 0x0 at offset 0x" + Integer.toHexString(at)
                + ": the kernel's EFI stub predates the LoadFile2 initrd (Linux 5.8), the only way jgrub gives an "
                + "initrd on EFI (unsupported)", e.getMessage());
    }

    @Test
    void commandLineLongerThanCmdlineSize_isRefused_asOnPc() throws Exception {
        byte[] file = debianKernel();
        Images.le(file).putInt(SetupHeader.CMDLINE_SIZE, 0x7f);
        KernelFormatException e = assertThrows(KernelFormatException.class,
                () -> LinuxEfiKernel.load("/vmlinuz", file, List.of("x".repeat(120))));
        assertEquals("/vmlinuz: the command line (141 bytes with its NUL) is longer than the kernel takes (setup "
                + "header cmdline_size 0x7f at offset 0x238) (unsupported)", e.getMessage());
    }
}
