package jgrub.multiboot.mb1;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.Optional;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/**
 * A Multiboot 1 header (Multiboot 0.6.96 section 3.1): magic 0x1BADB002, flags, and a checksum that makes the three
 * sum to zero, on a 4-byte boundary within the first 8 KiB; the a.out-kludge address fields when flags bit 16 is set,
 * the graphics fields when bit 2 is set. Found as GRUB's {@code find_header} finds it.
 */
public record Mb1Header(long offset, long flags, long checksum, Optional<Aout> aout, Optional<Video> video) {

    public static final long MAGIC = 0x1BADB002L;
    public static final int SEARCH = 8 * 1024;
    public static final long PAGE_ALIGN = 1 << 0;
    public static final long MEMORY_INFO = 1 << 1;
    public static final long VIDEO_MODE = 1 << 2;
    public static final long AOUT_KLUDGE = 1 << 16;
    /** Required-flag bits (the low 16) that GRUB does not know and so refuses ("unsupported flag"). */
    public static final long UNSUPPORTED_FLAGS = 0x0000fff8L;

    /** Fields at offsets 12 to 28 of the header. */
    public record Aout(long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr, long entryAddr) {
    }

    /** Fields at offsets 32 to 44: mode_type 0 linear graphics, 1 EGA text; 0 in the others means "no preference". */
    public record Video(long modeType, long width, long height, long depth) {
    }

    public static boolean present(byte[] file) {
        int limit = Math.min(file.length, SEARCH);
        for (int at = 0; at + 4 <= limit; at += 4) {
            if (((file[at] & 0xffL) | (file[at + 1] & 0xffL) << 8 | (file[at + 2] & 0xffL) << 16
                    | (file[at + 3] & 0xffL) << 24) == MAGIC) {
                return true;
            }
        }
        return false;
    }

    public static Mb1Header find(Bytes file) throws ImageFormatException {
        if (file.size() < 32) {
            throw new ImageFormatException(file.name() + ": file is " + file.size()
                    + " bytes, too short for a Multiboot image: premature end of file (corrupt)");
        }
        int limit = Math.min(file.size(), SEARCH);
        int firstMagic = -1;
        for (int at = 0; at + 12 <= limit; at += 4) {
            if (file.u32At(at) != MAGIC) {
                continue;
            }
            if (((MAGIC + file.u32At(at + 4) + file.u32At(at + 8)) & 0xffffffffL) == 0) {
                return read(file, at);
            }
            if (firstMagic < 0) {
                firstMagic = at;
            }
        }
        if (firstMagic >= 0) {
            long checksum = file.u32At(firstMagic + 8);
            long sum = (MAGIC + file.u32At(firstMagic + 4) + checksum) & 0xffffffffL;
            throw ImageFormatException.corrupt(file.name() + ": Multiboot header", "checksum", checksum,
                    firstMagic + 8, "does not make magic + flags + checksum zero (sum " + hex(sum) + ")");
        }
        throw new ImageFormatException(file.name() + ": no Multiboot header (magic " + hex(MAGIC)
                + " at a 4-byte boundary) in the first 8 KiB");
    }

    private static Mb1Header read(Bytes file, int at) throws ImageFormatException {
        String s = "Multiboot header";
        long flags = file.u32At(at + 4);
        if ((flags & UNSUPPORTED_FLAGS) != 0) {
            throw ImageFormatException.unsupported(file.name() + ": " + s, "flags", flags, at + 4,
                    "has required bits " + hex(flags & UNSUPPORTED_FLAGS) + " that GRUB does not know: unsupported flag");
        }
        Optional<Aout> aout = Optional.empty();
        if ((flags & AOUT_KLUDGE) != 0) {
            aout = Optional.of(new Aout(file.u32(s, "header_addr", at + 12), file.u32(s, "load_addr", at + 16),
                    file.u32(s, "load_end_addr", at + 20), file.u32(s, "bss_end_addr", at + 24),
                    file.u32(s, "entry_addr", at + 28)));
        }
        Optional<Video> video = Optional.empty();
        if ((flags & VIDEO_MODE) != 0) {
            Video v = new Video(file.u32(s, "mode_type", at + 32), file.u32(s, "width", at + 36),
                    file.u32(s, "height", at + 40), file.u32(s, "depth", at + 44));
            if (v.modeType() > 1) {
                throw ImageFormatException.unsupported(file.name() + ": " + s, "mode_type", v.modeType(), at + 32,
                        "is neither 0 (linear graphics) nor 1 (EGA text): unsupported graphical mode type");
            }
            video = Optional.of(v);
        }
        return new Mb1Header(at, flags, file.u32At(at + 8), aout, video);
    }
}
