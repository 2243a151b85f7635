package jgrub.multiboot.mb2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Multiboot 2 boot information back, written from the specification (section 3.6) independently of
 * {@link Mb2Info}, as a kernel would: fixed part, then tags at 8-byte boundaries up to the end tag.
 */
final class InfoReader {

    record Tag(int type, int offset, int size, ByteBuffer body) {
        long u32(int at) {
            return Integer.toUnsignedLong(body.getInt(at));
        }

        long u64(int at) {
            return body.getLong(at);
        }

        String string(int at) {
            int end = at;
            while (body.get(end) != 0) {
                end++;
            }
            byte[] b = new byte[end - at];
            body.get(at, b);
            assertEquals(size, at + b.length + 1, "string tag size covers the string and its NUL");
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    final List<Tag> tags = new ArrayList<>();
    final int totalSize;

    InfoReader(byte[] info) {
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        totalSize = b.getInt(0);
        assertEquals(info.length, totalSize, "total_size");
        assertEquals(0, b.getInt(4), "reserved");
        int at = 8;
        while (true) {
            assertEquals(0, at % 8, "tag alignment");
            int type = b.getInt(at);
            int size = b.getInt(at + 4);
            assertTrue(size >= 8 && at + size <= totalSize, "tag size " + size + " at " + at);
            tags.add(new Tag(type, at, size, b.slice(at, size).order(ByteOrder.LITTLE_ENDIAN)));
            if (type == 0) {
                assertEquals(8, size);
                assertEquals(totalSize, at + 8, "end tag is last");
                break;
            }
            at += (size + 7) & ~7;
        }
    }

    List<Integer> types() {
        return tags.stream().map(Tag::type).toList();
    }

    Tag first(int type) {
        return tags.stream().filter(t -> t.type() == type).findFirst().orElseThrow();
    }

    List<Tag> all(int type) {
        return tags.stream().filter(t -> t.type() == type).toList();
    }
}
