package jgrub.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SetupHeaderMalformedTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated before the header's end", (Consumer<ByteBuffer>) b -> { },
                        0x200, "k: 0x200 bytes, shorter than the Linux setup header (0x268 bytes): premature end of "
                        + "file (corrupt)"),
                Arguments.of("boot_flag", (Consumer<ByteBuffer>) b -> b.putShort(0x1fe, (short) 0x1234), 0,
                        "k: setup header boot_flag 0x1234 at offset 0x1fe is not 0xaa55: invalid magic number, not a "
                        + "Linux kernel (corrupt)"),
                Arguments.of("setup_sects", (Consumer<ByteBuffer>) b -> b.put(0x1f1, (byte) 65), 0,
                        "k: setup header setup_sects 0x41 at offset 0x1f1 is over 64: too many setup sectors "
                        + "(corrupt)"),
                Arguments.of("HdrS", (Consumer<ByteBuffer>) b -> b.putInt(0x202, 0), 0,
                        "k: setup header magic 0x0 at offset 0x202 is not \"HdrS\" (0x53726448): version too old "
                        + "for 32-bit boot (unsupported)"),
                Arguments.of("version", (Consumer<ByteBuffer>) b -> b.putShort(0x206, (short) 0x0202), 0,
                        "k: setup header version 0x202 at offset 0x206 is below 0x203: version too old for 32-bit "
                        + "boot (unsupported)"),
                Arguments.of("loadflags", (Consumer<ByteBuffer>) b -> b.put(0x211, (byte) 0), 0,
                        "k: setup header loadflags 0x0 at offset 0x211 lack LOADED_HIGH: zImage doesn't support "
                        + "32-bit boot (unsupported)"),
                Arguments.of("header end", (Consumer<ByteBuffer>) b -> b.put(0x201, (byte) 0x90), 0,
                        "k: setup header end (0x202 + jump displacement) 0x292 at offset 0x201 is past "
                        + "boot_params' edd_mbr_sig_buffer at 0x290: Linux setup header too big (corrupt)"),
                Arguments.of("setup past the end", (Consumer<ByteBuffer>) b -> b.put(0x1f1, (byte) 8), 0,
                        "k: setup header setup_sects 0x8 at offset 0x1f1 put the protected-mode kernel at 0x1200, "
                        + "past the end of the file (0x1000 bytes): premature end of file (corrupt)"),
                Arguments.of("init_size", (Consumer<ByteBuffer>) b -> b.putInt(0x260, 0x100), 0,
                        "k: setup header init_size 0x100 at offset 0x260 is smaller than the protected-mode kernel "
                        + "(0xc00 bytes) (corrupt)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedHeader_isRefusedNamingFieldValueAndOffset(String name, Consumer<ByteBuffer> mutation, int length,
            String message) {
        byte[] image = Images.bzImage();
        mutation.accept(Images.le(image));
        byte[] file = length == 0 ? image : Arrays.copyOf(image, length);
        KernelFormatException e = assertThrows(KernelFormatException.class,
                () -> LinuxKernel.load("k", file, List.of()));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void commandLineLongerThanCmdlineSize_isRefused() {
        byte[] image = Images.bzImage();
        Images.le(image).putInt(0x238, 0x7f);
        KernelFormatException e = assertThrows(KernelFormatException.class,
                () -> LinuxKernel.load("/vmlinuz", image, List.of("x".repeat(120))));
        assertEquals("/vmlinuz: the command line (141 bytes with its NUL) is longer than the kernel takes (setup "
                + "header cmdline_size 0x7f at offset 0x238) (unsupported)", e.getMessage());
    }
}
