package jgrub.multiboot;

import static jgrub.multiboot.ImageFormatException.hex;

import java.util.List;

/**
 * The "a.out kludge": a header that gives load addresses directly (Multiboot 1 section 3.1.3 flag 16, fields
 * header_addr to entry_addr; Multiboot 2 section 3.1.5 address tag). The file is loaded from the offset that puts the
 * header at {@code header_addr}, up to {@code load_end_addr} (0: end of file), then zeros to {@code bss_end_addr}
 * (0: none), as GRUB's {@code multiboot_mbi.c}/{@code multiboot_mbi2.c} compute it.
 */
public final class AoutKludge {

    /** {@link KernelImage#format()} of an image loaded this way. */
    public static final String FORMAT = "a.out kludge";

    private static final long FOUR_GIB = 1L << 32;

    private AoutKludge() {
    }

    /**
     * {@code fieldsOffset} is the file offset of header_addr (the other three follow, 4 bytes apart), for messages;
     * {@code headerOffset} is the file offset of the Multiboot header itself.
     */
    public static KernelImage load(Bytes file, String structure, long headerOffset, long fieldsOffset,
            long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr, long entry)
            throws ImageFormatException {
        String s = file.name() + ": " + structure;
        if (headerAddr < loadAddr) {
            throw ImageFormatException.corrupt(s, "header_addr", headerAddr, fieldsOffset,
                    "is below load_addr " + hex(loadAddr));
        }
        long offset = headerOffset - (headerAddr - loadAddr);
        if (offset < 0) {
            throw ImageFormatException.corrupt(s, "load_addr", loadAddr, fieldsOffset + 4,
                    "would start loading " + hex(-offset) + " bytes before the start of the file");
        }
        long loadSize;
        if (loadEndAddr == 0) {
            loadSize = file.size() - offset;
        } else if (loadEndAddr < loadAddr) {
            throw ImageFormatException.corrupt(s, "load_end_addr", loadEndAddr, fieldsOffset + 8,
                    "is below load_addr " + hex(loadAddr));
        } else {
            loadSize = loadEndAddr - loadAddr;
        }
        if (offset + loadSize > file.size()) {
            throw ImageFormatException.corrupt(s, "load_end_addr", loadEndAddr, fieldsOffset + 8,
                    "asks for " + hex(loadSize) + " bytes from file offset " + hex(offset)
                            + ", past the end of the file (" + hex(file.size()) + " bytes): truncated");
        }
        long codeSize = loadSize;
        if (bssEndAddr != 0) {
            if (bssEndAddr < loadAddr + loadSize) {
                throw ImageFormatException.corrupt(s, "bss_end_addr", bssEndAddr, fieldsOffset + 12,
                        "is below the end of the loaded data " + hex(loadAddr + loadSize));
            }
            codeSize = bssEndAddr - loadAddr;
        }
        if (loadAddr + codeSize > FOUR_GIB) {
            throw ImageFormatException.unsupported(s, "load_addr", loadAddr, fieldsOffset + 4,
                    "with size " + hex(codeSize) + " ends above 4 GiB");
        }
        KernelImage.Piece piece = new KernelImage.Piece("a.out kludge image", loadAddr,
                new Slice(file.array(), (int) offset, (int) loadSize), codeSize);
        return new KernelImage(FORMAT, List.of(piece), loadAddr, loadAddr + codeSize, entry,
                KernelImage.ElfSections.NONE);
    }
}
