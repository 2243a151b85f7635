package jgrub.multiboot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Small kernels built by code for the tests: an ELF32 or ELF64 file with the given PT_LOAD segments and a Multiboot
 * header at file offset {@link #HEADER_OFFSET} (inside the first segment's data), and the Multiboot headers themselves.
 */
public final class TestImages {

    /** {@code b} gzip-compressed, as gzip(1) writes it. */
    public static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** {@code b} xz-compressed, as xz(1) writes it. */
    public static byte[] xz(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream z = new XZOutputStream(out, new LZMA2Options(1))) {
            z.write(b);
        }
        return out.toByteArray();
    }


    public static final int HEADER_OFFSET = 0x100;

    private TestImages() {
    }

    /** One PT_LOAD segment. */
    public record Seg(long paddr, long filesz, long memsz) {
    }

    /** An ELF image builder; defaults: ELF32, one segment at 1 MiB of 0x1000 bytes, entry at its start. */
    public static final class Elf {
        public boolean elf64;
        public int machine = -1;
        public int type = 2;
        public List<Seg> segments = new ArrayList<>(List.of(new Seg(0x100000, 0x1000, 0x2000)));
        public long entry = 0x100000;
        public byte[] header = new byte[0];
        /** Extra section headers: {type, addr, size}; a NULL one and .shstrtab are always there. */
        public List<long[]> sections = new ArrayList<>();

        public byte[] build() {
            int ehdr = elf64 ? 64 : 52;
            int phsize = elf64 ? 56 : 32;
            int shsize = elf64 ? 64 : 40;
            long dataOffset = HEADER_OFFSET;
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (elf64 ? 2 : 1), 1, 1});
            b.position(16);
            b.putShort((short) type).putShort((short) (machine >= 0 ? machine : elf64 ? 62 : 3)).putInt(1);
            int phoff = ehdr;
            long[] offsets = new long[segments.size()];
            long at = dataOffset;
            for (int i = 0; i < segments.size(); i++) {
                offsets[i] = at;
                at += Math.max(segments.get(i).filesz, i == 0 ? header.length : 0);
                at = (at + 15) & ~15L;
            }
            long strtab = at;
            byte[] names = "\0.shstrtab\0.extra\0".getBytes();
            long shoff = (strtab + names.length + 15) & ~15L;
            int shnum = 2 + sections.size();
            if (elf64) {
                b.putLong(entry).putLong(phoff).putLong(shoff).putInt(0);
            } else {
                b.putInt((int) entry).putInt(phoff).putInt((int) shoff).putInt(0);
            }
            b.putShort((short) ehdr).putShort((short) phsize).putShort((short) segments.size())
                    .putShort((short) shsize).putShort((short) shnum).putShort((short) 1);
            for (int i = 0; i < segments.size(); i++) {
                Seg s = segments.get(i);
                b.position(phoff + i * phsize);
                if (elf64) {
                    b.putInt(1).putInt(7).putLong(offsets[i]).putLong(s.paddr).putLong(s.paddr).putLong(s.filesz)
                            .putLong(s.memsz).putLong(16);
                } else {
                    b.putInt(1).putInt((int) offsets[i]).putInt((int) s.paddr).putInt((int) s.paddr)
                            .putInt((int) s.filesz).putInt((int) s.memsz).putInt(7).putInt(16);
                }
                for (long p = 0; p < s.filesz; p++) {
                    b.put((int) (offsets[i] + p), (byte) (i * 16 + p % 7 + 1));
                }
            }
            b.position(HEADER_OFFSET);
            b.put(header);
            b.position((int) strtab);
            b.put(names);
            List<long[]> all = new ArrayList<>();
            all.add(new long[] {0, 0, 0, 0, 0});
            all.add(new long[] {1, 3, 0, strtab, names.length});
            for (long[] s : sections) {
                all.add(new long[] {11, s[0], s[1], strtab, s[2]});
            }
            for (int i = 0; i < all.size(); i++) {
                long[] s = all.get(i);
                b.position((int) (shoff + (long) i * shsize));
                if (elf64) {
                    b.putInt((int) s[0]).putInt((int) s[1]).putLong(0).putLong(s[2]).putLong(s[3]).putLong(s[4])
                            .putInt(0).putInt(0).putLong(1).putLong(0);
                } else {
                    b.putInt((int) s[0]).putInt((int) s[1]).putInt(0).putInt((int) s[2]).putInt((int) s[3])
                            .putInt((int) s[4]).putInt(0).putInt(0).putInt(1).putInt(0);
                }
            }
            int size = (int) (shoff + (long) shnum * shsize);
            byte[] out = new byte[size];
            b.get(0, out);
            return out;
        }
    }

    /** A Multiboot 2 tag: type, flags, then 32-bit payload words. */
    public static byte[] tag(int type, int flags, long... words) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) type).putShort((short) flags).putInt(8 + 4 * words.length);
        for (long w : words) {
            b.putInt((int) w);
        }
        return b.array();
    }

    /** A Multiboot 2 header with the given tags (each padded to 8) and an end tag, with a correct checksum. */
    public static byte[] mb2(byte[]... tags) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] t : tags) {
            body.writeBytes(t);
            while (body.size() % 8 != 0) {
                body.write(0);
            }
        }
        body.writeBytes(tag(0, 0));
        int length = 16 + body.size();
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xe85250d6).putInt(0).putInt(length).putInt((int) -(0xe85250d6L + length));
        b.put(body.toByteArray());
        return b.array();
    }

    /** A Multiboot 1 header: magic, flags, checksum, then further 32-bit fields (a.out kludge, video). */
    public static byte[] mb1(int flags, long... fields) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * fields.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x1BADB002).putInt(flags).putInt((int) -(0x1BADB002L + flags));
        for (long f : fields) {
            b.putInt((int) f);
        }
        return b.array();
    }

    /** A segment's contents as bytes. */
    public static byte[] bytes(jgrub.boot.Segment s) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.allocate((int) s.contents().size());
        s.contents().writeTo(b);
        return b.array();
    }

    public static void putInt(byte[] image, int offset, long value) {
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, (int) value);
    }
}
