package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jgrub.disk.DiskFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module area of a GRUB core image, laid out as util/mkimage.c writes it for x86_64-efi: a 24-byte module info
 * then objects padded to 8 bytes. Damaged areas give one line naming the field, its value and its offset.
 */
class ModuleAreaTest {

    /** info64, one 16-byte ELF stand-in, a prefix "(,gpt3)/boot/grub" and a config "set a=b". */
    static ByteBuffer area() {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, ModuleArea.MAGIC).putLong(8, 24);
        int at = 24;
        b.putInt(at, ModuleArea.OBJ_TYPE_ELF).putInt(at + 4, 16);
        at += 16;
        at = object(b, at, ModuleArea.OBJ_TYPE_PREFIX, "(,gpt3)/boot/grub");
        at = object(b, at, ModuleArea.OBJ_TYPE_CONFIG, "set a=b\n");
        b.putLong(16, at);
        return b;
    }

    private static int object(ByteBuffer b, int at, int type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int size = 8 + bytes.length + 1;
        b.putInt(at, type).putInt(at + 4, size).put(at + 8, bytes);
        return at + (size + 7) / 8 * 8;
    }

    @Test
    void wellFormedArea_givesPrefixConfigAndModules() throws DiskFormatException {
        ModuleArea area = ModuleArea.parse(area(), 8, "GRUB EFI image x", 0x1000);
        assertEquals(new ModuleArea(Optional.of("(,gpt3)/boot/grub"), Optional.of("set a=b\n"), 1, false), area);
    }

    static Stream<Arguments> damaged() {
        return Stream.of(
                Arguments.of("bad magic", (Consumer<ByteBuffer>) b -> b.putInt(0, 0x12345678),
                        "x: corrupt module info magic 0x12345678 at offset 0x1000 (not 'mimg')"),
                Arguments.of("size past the section", (Consumer<ByteBuffer>) b -> b.putLong(16, 0x1000),
                        "x: corrupt module area size 0x1000 at offset 0x1010 (not within the 0x80 bytes that hold it)"),
                Arguments.of("offset past the area", (Consumer<ByteBuffer>) b -> b.putLong(8, 0x7FFF_FFFF_FFFFL),
                        "x: corrupt module info offset 0x7FFFFFFFFFFF at offset 0x1008 (not within the module area of"
                                + " 0x60 bytes)"),
                Arguments.of("object of size 0", (Consumer<ByteBuffer>) b -> b.putInt(24 + 4, 0),
                        "x: corrupt object size 0x0 at offset 0x101C (not between 8 and the 0x48 bytes left of the"
                                + " module area)"),
                Arguments.of("object past the area", (Consumer<ByteBuffer>) b -> b.putInt(24 + 4, 0xFFFF_FFF0),
                        "x: corrupt object size 0xFFFFFFF0 at offset 0x101C (not between 8 and the 0x48 bytes left of"
                                + " the module area)"),
                Arguments.of("header cut by the end", (Consumer<ByteBuffer>) b -> b.putLong(16, 0x60 + 4),
                        "x: corrupt object header 0x60 at offset 0x1060 (the module area ends inside it)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void damagedArea_isOneLine(String what, Consumer<ByteBuffer> damage, String message) {
        ByteBuffer b = area();
        damage.accept(b);
        DiskFormatException e = assertThrows(DiskFormatException.class, () -> ModuleArea.parse(b, 8, "x", 0x1000));
        assertEquals(message, e.getMessage());
    }

    @Test
    void areaShorterThanItsHeader_isOneLine() {
        DiskFormatException e = assertThrows(DiskFormatException.class,
                () -> ModuleArea.parse(ByteBuffer.allocate(10), 8, "x", 0));
        assertEquals("x: corrupt module area size 0xA at offset 0x0 (shorter than the module info header)",
                e.getMessage());
    }
}
