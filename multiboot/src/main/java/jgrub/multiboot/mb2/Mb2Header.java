package jgrub.multiboot.mb2;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.ArrayList;
import java.util.List;
import jgrub.multiboot.Bytes;
import jgrub.multiboot.ImageFormatException;

/**
 * A Multiboot 2 header (Multiboot 2 specification section 3.1): magic 0xe85250d6, architecture, header length and a
 * checksum that makes the four words sum to zero, on an 8-byte boundary within the first 32 KiB, followed by tags
 * that each start on an 8-byte boundary and end with an end tag. Found and read as GRUB's {@code find_header} and
 * tag loop do, with every tag's size checked against the header length and the file.
 */
public record Mb2Header(long offset, long architecture, long headerLength, long checksum, List<HeaderTag> tags) {

    public static final long MAGIC = 0xe85250d6L;
    public static final int SEARCH = 32 * 1024;
    public static final int ALIGN = 8;
    public static final long ARCHITECTURE_I386 = 0;
    private static final int FIXED_SIZE = 16;

    public Mb2Header {
        tags = List.copyOf(tags);
    }

    /** Whether the first 32 KiB hold the magic at an 8-byte boundary (valid or not). */
    public static boolean present(byte[] file) {
        return candidate(file) >= 0;
    }

    private static int candidate(byte[] file) {
        int limit = Math.min(file.length, SEARCH);
        for (int at = 0; at + 4 <= limit; at += ALIGN) {
            long magic = (file[at] & 0xffL) | (file[at + 1] & 0xffL) << 8 | (file[at + 2] & 0xffL) << 16
                    | (file[at + 3] & 0xffL) << 24;
            if (magic == MAGIC) {
                return at;
            }
        }
        return -1;
    }

    public static Mb2Header find(Bytes file) throws ImageFormatException {
        if (file.size() < 32) {
            throw new ImageFormatException(file.name() + ": file is " + file.size()
                    + " bytes, too short for a Multiboot 2 image: premature end of file (corrupt)");
        }
        int limit = Math.min(file.size(), SEARCH);
        int firstMagic = -1;
        for (int at = 0; at + FIXED_SIZE <= limit; at += ALIGN) {
            long magic = file.u32At(at);
            if (magic != MAGIC) {
                continue;
            }
            long arch = file.u32At(at + 4);
            long length = file.u32At(at + 8);
            long sum = (magic + arch + length + file.u32At(at + 12)) & 0xffffffffL;
            if (sum == 0 && arch == ARCHITECTURE_I386) {
                return read(file, at);
            }
            if (firstMagic < 0) {
                firstMagic = at;
            }
        }
        String s = file.name() + ": Multiboot 2 header";
        if (firstMagic >= 0) {
            long arch = file.u32At(firstMagic + 4);
            long checksum = file.u32At(firstMagic + 12);
            long sum = (MAGIC + arch + file.u32At(firstMagic + 8) + checksum) & 0xffffffffL;
            if (sum != 0) {
                throw ImageFormatException.corrupt(s, "checksum", checksum, firstMagic + 12,
                        "does not make magic + architecture + header_length + checksum zero (sum " + hex(sum) + ")");
            }
            throw ImageFormatException.unsupported(s, "architecture", arch, firstMagic + 4, "is not i386 (0)");
        }
        throw new ImageFormatException(file.name() + ": no Multiboot 2 header (magic " + hex(MAGIC)
                + " at an 8-byte boundary) in the first 32 KiB");
    }

    private static Mb2Header read(Bytes file, int at) throws ImageFormatException {
        String s = file.name() + ": Multiboot 2 header";
        long architecture = file.u32At(at + 4);
        long length = file.u32At(at + 8);
        long checksum = file.u32At(at + 12);
        if (length < FIXED_SIZE + 8 || length > SEARCH) {
            throw ImageFormatException.corrupt(s, "header_length", length, at + 8,
                    "is not between 0x18 (fixed part and end tag) and 0x8000");
        }
        long end = at + length;
        file.require("Multiboot 2 header", "tags (header_length)", at, length);
        List<HeaderTag> tags = new ArrayList<>();
        long pos = at + FIXED_SIZE;
        while (true) {
            if (pos + 8 > end) {
                throw ImageFormatException.corrupt(s, "header_length", length, at + 8,
                        "ends before the end tag (tags run to offset " + hex(pos) + ")");
            }
            String ts = "Multiboot 2 header tag at " + hex(pos);
            int type = file.u16(ts, "type", pos);
            int flags = file.u16(ts, "flags", pos + 2);
            long size = file.u32(ts, "size", pos + 4);
            String tagName = s + " tag " + type + " (" + HeaderTag.typeName(type) + ")";
            if (size < 8 || size > end - pos) {
                throw ImageFormatException.corrupt(tagName, "size", size, pos + 4,
                        "is below 8 or runs past header_length " + hex(length));
            }
            boolean optional = (flags & 1) != 0;
            if (type == HeaderTag.TYPE_END) {
                break;
            }
            tags.add(tag(file, tagName, type, optional, pos, size));
            pos += (size + ALIGN - 1) & ~(long) (ALIGN - 1);
        }
        return new Mb2Header(at, architecture, length, checksum, tags);
    }

    private static HeaderTag tag(Bytes file, String s, int type, boolean optional, long pos, long size)
            throws ImageFormatException {
        return switch (type) {
            case HeaderTag.TYPE_INFORMATION_REQUEST -> {
                List<Integer> requests = new ArrayList<>();
                for (long p = pos + 8; p + 4 <= pos + size; p += 4) {
                    requests.add((int) file.u32(s, "mbi_tag_types", p));
                }
                yield new HeaderTag.InformationRequest(pos, optional, requests);
            }
            case HeaderTag.TYPE_ADDRESS -> {
                minimum(s, size, 24, pos);
                yield new HeaderTag.Address(pos, optional, file.u32(s, "header_addr", pos + 8),
                        file.u32(s, "load_addr", pos + 12), file.u32(s, "load_end_addr", pos + 16),
                        file.u32(s, "bss_end_addr", pos + 20));
            }
            case HeaderTag.TYPE_ENTRY_ADDRESS, HeaderTag.TYPE_ENTRY_ADDRESS_EFI32, HeaderTag.TYPE_ENTRY_ADDRESS_EFI64 -> {
                minimum(s, size, 12, pos);
                yield new HeaderTag.EntryAddress(type, pos, optional, file.u32(s, "entry_addr", pos + 8));
            }
            case HeaderTag.TYPE_CONSOLE_FLAGS -> {
                minimum(s, size, 12, pos);
                yield new HeaderTag.ConsoleFlags(pos, optional, file.u32(s, "console_flags", pos + 8));
            }
            case HeaderTag.TYPE_FRAMEBUFFER -> {
                minimum(s, size, 20, pos);
                yield new HeaderTag.Framebuffer(pos, optional, file.u32(s, "width", pos + 8),
                        file.u32(s, "height", pos + 12), file.u32(s, "depth", pos + 16));
            }
            case HeaderTag.TYPE_MODULE_ALIGN -> new HeaderTag.ModuleAlign(pos, optional);
            case HeaderTag.TYPE_EFI_BS -> new HeaderTag.EfiBootServices(pos, optional);
            case HeaderTag.TYPE_RELOCATABLE -> {
                minimum(s, size, 24, pos);
                yield new HeaderTag.Relocatable(pos, optional, file.u32(s, "min_addr", pos + 8),
                        file.u32(s, "max_addr", pos + 12), file.u32(s, "align", pos + 16),
                        file.u32(s, "preference", pos + 20));
            }
            default -> new HeaderTag.Unknown(type, pos, optional, size);
        };
    }

    private static void minimum(String s, long size, int minimum, long pos) throws ImageFormatException {
        if (size < minimum) {
            throw ImageFormatException.corrupt(s, "size", size, pos + 4, "is below " + hex(minimum)
                    + ", the size of this tag type");
        }
    }
}
