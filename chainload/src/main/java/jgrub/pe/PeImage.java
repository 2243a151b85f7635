package jgrub.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A PE32+ x86-64 image, checked in full before anything is loaded: DOS stub, PE signature, COFF file header, optional
 * header, section table and base relocations (Microsoft PE/COFF specification; UEFI 2.10 section 2.1.1 for what an
 * EFI image must be). Offsets below are the specification's.
 */
public record PeImage(
        String name,
        int machine,
        int characteristics,
        long entryPointRva,
        long imageBase,
        long sectionAlignment,
        long fileAlignment,
        long sizeOfImage,
        long sizeOfHeaders,
        int majorImageVersion,
        int subsystem,
        int dllCharacteristics,
        List<PeSection> sections,
        List<PeRelocation> relocations,
        boolean hasRelocationDirectory) {

    static final int DOS_MAGIC = 0x5A4D; // "MZ"
    static final int DOS_LFANEW = 0x3C;
    static final int PE_SIGNATURE = 0x00004550; // "PE\0\0"
    static final int COFF_HEADER_SIZE = 20;
    static final int PE32_PLUS_MAGIC = 0x20B;
    static final int PE32_MAGIC = 0x10B;
    static final int MACHINE_AMD64 = 0x8664;
    static final int SECTION_HEADER_SIZE = 40;
    /** Optional header bytes up to and including NumberOfRvaAndSizes in PE32+. */
    static final int OPTIONAL_HEADER_FIXED = 112;
    static final int DIRECTORY_BASE_RELOCATION = 5;
    /** IMAGE_FILE_RELOCS_STRIPPED */
    static final int RELOCS_STRIPPED = 0x0001;

    public static final int SUBSYSTEM_EFI_APPLICATION = 10;
    public static final int SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER = 11;
    public static final int SUBSYSTEM_EFI_RUNTIME_DRIVER = 12;

    /** The COFF limit on sections ("the Windows loader limits the number of sections to 96"). */
    static final int MAX_SECTIONS = 96;
    /** Larger images would not fit the guest anyway; refusing them early keeps allocations bounded. */
    static final long MAX_IMAGE_SIZE = 1L << 30;

    public PeImage {
        sections = List.copyOf(sections);
        relocations = List.copyOf(relocations);
    }

    /** Parses and checks {@code file}; {@code name} is how messages call the image (its path, usually). */
    public static PeImage parse(byte[] file, String name) throws PeFormatException {
        return new Parser(file, name).parse();
    }

    /**
     * Whether the image may run away from its ImageBase. As EDK2's PE/COFF loader (OVMF) decides it: only
     * IMAGE_FILE_RELOCS_STRIPPED forbids it; an image without relocation entries and without that flag (Debian 12's
     * Linux EFI stub: ImageBase 0, an empty relocation directory) is position-independent and runs anywhere.
     */
    public boolean isRelocatable() {
        return (characteristics & RELOCS_STRIPPED) == 0;
    }

    public String machineName() {
        return machine == MACHINE_AMD64 ? "x86-64" : String.format("0x%04x", machine);
    }

    public String subsystemName() {
        return switch (subsystem) {
            case SUBSYSTEM_EFI_APPLICATION -> "EFI application";
            case SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER -> "EFI boot service driver";
            case SUBSYSTEM_EFI_RUNTIME_DRIVER -> "EFI runtime driver";
            default -> "subsystem " + subsystem;
        };
    }

    /** Reads of the file that check bounds and name what they read. */
    private static final class Parser {
        private final ByteBuffer buf;
        private final String name;

        Parser(byte[] file, String name) {
            this.buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            this.name = name;
        }

        PeImage parse() throws PeFormatException {
            int dosMagic = u16(0, "DOS header e_magic");
            if (dosMagic != DOS_MAGIC) {
                throw PeFormatException.corrupt(name, "DOS header e_magic", dosMagic, 0, "not \"MZ\"");
            }
            long peOffset = u32(DOS_LFANEW, "DOS header e_lfanew");
            require(peOffset, 4 + COFF_HEADER_SIZE, "DOS header e_lfanew", peOffset, DOS_LFANEW,
                    "PE headers lie past the end of the file");
            long signature = u32(peOffset, "PE signature");
            if (signature != PE_SIGNATURE) {
                throw PeFormatException.corrupt(name, "PE signature", signature, peOffset, "not \"PE\\0\\0\"");
            }
            long coff = peOffset + 4;
            int machine = u16(coff, "COFF Machine");
            if (machine != MACHINE_AMD64) {
                throw PeFormatException.unsupported(name, "COFF Machine", machine, coff,
                        "jgrub loads x86-64 (0x8664) images only");
            }
            int sectionCount = u16(coff + 2, "COFF NumberOfSections");
            if (sectionCount == 0 || sectionCount > MAX_SECTIONS) {
                throw PeFormatException.corrupt(name, "COFF NumberOfSections", sectionCount, coff + 2,
                        "must be 1 to " + MAX_SECTIONS);
            }
            int optionalSize = u16(coff + 16, "COFF SizeOfOptionalHeader");
            int characteristics = u16(coff + 18, "COFF Characteristics");
            long opt = coff + COFF_HEADER_SIZE;
            int magic = u16(opt, "optional header Magic");
            if (magic == PE32_MAGIC) {
                throw PeFormatException.unsupported(name, "optional header Magic", magic, opt,
                        "PE32 (32-bit) image; jgrub loads PE32+ (0x20b)");
            }
            if (magic != PE32_PLUS_MAGIC) {
                throw PeFormatException.corrupt(name, "optional header Magic", magic, opt, "not PE32+ (0x20b)");
            }
            if (optionalSize < OPTIONAL_HEADER_FIXED) {
                throw PeFormatException.corrupt(name, "COFF SizeOfOptionalHeader", optionalSize, coff + 16,
                        "smaller than the PE32+ optional header (0x70)");
            }
            require(opt, optionalSize, "COFF SizeOfOptionalHeader", optionalSize, coff + 16,
                    "optional header runs past the end of the file");
            long entry = u32(opt + 16, "optional header AddressOfEntryPoint");
            long imageBase = u64(opt + 24, "optional header ImageBase");
            long sectionAlignment = u32(opt + 32, "optional header SectionAlignment");
            long fileAlignment = u32(opt + 36, "optional header FileAlignment");
            long sizeOfImage = u32(opt + 56, "optional header SizeOfImage");
            int majorImageVersion = u16(opt + 44, "optional header MajorImageVersion");
            long sizeOfHeaders = u32(opt + 60, "optional header SizeOfHeaders");
            int subsystem = u16(opt + 68, "optional header Subsystem");
            int dllCharacteristics = u16(opt + 70, "optional header DllCharacteristics");
            long directoryCount = u32(opt + 108, "optional header NumberOfRvaAndSizes");

            if (sectionAlignment == 0 || Long.bitCount(sectionAlignment) != 1) {
                throw PeFormatException.corrupt(name, "optional header SectionAlignment", sectionAlignment, opt + 32,
                        "not a power of two");
            }
            if (fileAlignment == 0 || Long.bitCount(fileAlignment) != 1) {
                throw PeFormatException.corrupt(name, "optional header FileAlignment", fileAlignment, opt + 36,
                        "not a power of two");
            }
            if (sizeOfImage == 0 || sizeOfImage > MAX_IMAGE_SIZE) {
                throw PeFormatException.unsupported(name, "optional header SizeOfImage", sizeOfImage, opt + 56,
                        "must be 1 byte to 1 GiB");
            }
            long sectionTable = opt + optionalSize;
            long sectionTableEnd = sectionTable + (long) sectionCount * SECTION_HEADER_SIZE;
            if (sizeOfHeaders < sectionTableEnd || sizeOfHeaders > sizeOfImage) {
                throw PeFormatException.corrupt(name, "optional header SizeOfHeaders", sizeOfHeaders, opt + 60,
                        "must cover the section table (up to 0x" + Long.toHexString(sectionTableEnd)
                                + ") and lie within SizeOfImage");
            }
            require(0, sizeOfHeaders, "optional header SizeOfHeaders", sizeOfHeaders, opt + 60,
                    "headers run past the end of the file");
            if (subsystem < SUBSYSTEM_EFI_APPLICATION || subsystem > SUBSYSTEM_EFI_RUNTIME_DRIVER) {
                throw PeFormatException.unsupported(name, "optional header Subsystem", subsystem, opt + 68,
                        "not an EFI image (10, 11 or 12)");
            }
            long maxDirectories = (optionalSize - OPTIONAL_HEADER_FIXED) / 8;
            if (directoryCount > maxDirectories) {
                throw PeFormatException.corrupt(name, "optional header NumberOfRvaAndSizes", directoryCount,
                        opt + 108, "more data directories than SizeOfOptionalHeader holds (" + maxDirectories + ")");
            }

            List<PeSection> sections = sections(sectionTable, sectionCount, sizeOfImage, sizeOfHeaders);
            if (entry >= sizeOfImage || (entry != 0 && sections.stream().noneMatch(
                    s -> entry >= s.virtualAddress() && entry < s.end()))) {
                throw PeFormatException.corrupt(name, "optional header AddressOfEntryPoint", entry, opt + 16,
                        "not inside any section");
            }

            boolean hasRelocations = directoryCount > DIRECTORY_BASE_RELOCATION;
            List<PeRelocation> relocations = List.of();
            if (hasRelocations) {
                long dir = opt + OPTIONAL_HEADER_FIXED + 8L * DIRECTORY_BASE_RELOCATION;
                long rva = u32(dir, "base relocation directory VirtualAddress");
                long size = u32(dir + 4, "base relocation directory Size");
                hasRelocations = size != 0;
                if (hasRelocations) {
                    relocations = relocations(rva, size, dir, sections, sizeOfImage);
                }
            }
            return new PeImage(name, machine, characteristics, entry, imageBase, sectionAlignment, fileAlignment,
                    sizeOfImage, sizeOfHeaders, majorImageVersion, subsystem, dllCharacteristics, sections, relocations,
                    hasRelocations);
        }

        /**
         * A section name as a message may show it: its 8 bytes are anything, and a newline in a name would break the
         * one-line message (found by PeFuzzTest); bytes outside printable ASCII are shown as {@code \xNN}.
         */
        private static String printable(String raw) {
            StringBuilder b = new StringBuilder(raw.length());
            for (int k = 0; k < raw.length(); k++) {
                char c = raw.charAt(k);
                if (c >= 0x20 && c < 0x7f) {
                    b.append(c);
                } else {
                    b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
                }
            }
            return b.toString();
        }

        private List<PeSection> sections(long table, int count, long sizeOfImage, long sizeOfHeaders)
                throws PeFormatException {
            List<PeSection> sections = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long at = table + (long) i * SECTION_HEADER_SIZE;
                byte[] rawName = new byte[8];
                buf.get((int) at, rawName);
                int nameLength = 0;
                while (nameLength < 8 && rawName[nameLength] != 0) {
                    nameLength++;
                }
                String sectionName = new String(rawName, 0, nameLength, StandardCharsets.ISO_8859_1);
                String field = "section " + i + " (" + printable(sectionName) + ") ";
                long virtualSize = u32(at + 8, field + "VirtualSize");
                long virtualAddress = u32(at + 12, field + "VirtualAddress");
                long rawSize = u32(at + 16, field + "SizeOfRawData");
                long rawOffset = u32(at + 20, field + "PointerToRawData");
                int characteristics = (int) u32(at + 36, field + "Characteristics");
                PeSection section = new PeSection(sectionName, virtualAddress, virtualSize, rawOffset, rawSize,
                        characteristics);
                if (virtualAddress < sizeOfHeaders) {
                    throw PeFormatException.corrupt(name, field + "VirtualAddress", virtualAddress, at + 12,
                            "overlaps the headers (SizeOfHeaders 0x" + Long.toHexString(sizeOfHeaders) + ")");
                }
                if (section.end() > sizeOfImage) {
                    throw PeFormatException.corrupt(name, field + "VirtualSize", section.memorySize(), at + 8,
                            "section ends at 0x" + Long.toHexString(section.end()) + ", past SizeOfImage 0x"
                                    + Long.toHexString(sizeOfImage));
                }
                if (section.bytesFromFile() > 0 && rawOffset + section.bytesFromFile() > buf.capacity()) {
                    throw PeFormatException.corrupt(name, field + "PointerToRawData", rawOffset, at + 20,
                            "0x" + Long.toHexString(section.bytesFromFile()) + " bytes of data run past the end of "
                                    + "the file (0x" + Long.toHexString(buf.capacity()) + " bytes)");
                }
                sections.add(section);
            }
            List<PeSection> byAddress = new ArrayList<>(sections);
            byAddress.sort(Comparator.comparingLong(PeSection::virtualAddress));
            for (int i = 1; i < byAddress.size(); i++) {
                PeSection previous = byAddress.get(i - 1);
                PeSection current = byAddress.get(i);
                if (current.virtualAddress() < previous.end()) {
                    int index = sections.indexOf(current);
                    throw PeFormatException.corrupt(name, "section " + index + " (" + current.name()
                            + ") VirtualAddress", current.virtualAddress(),
                            table + (long) index * SECTION_HEADER_SIZE + 12,
                            "overlaps section " + previous.name() + " (ends at 0x"
                                    + Long.toHexString(previous.end()) + ")");
                }
            }
            return sections;
        }

        /** Parses the base relocation blocks, which live in the file at the section that holds their RVA. */
        private List<PeRelocation> relocations(long rva, long size, long directoryAt, List<PeSection> sections,
                long sizeOfImage) throws PeFormatException {
            PeSection holder = sections.stream()
                    .filter(s -> rva >= s.virtualAddress() && rva + size <= s.virtualAddress() + s.bytesFromFile())
                    .findFirst()
                    .orElseThrow(() -> PeFormatException.corrupt(name, "base relocation directory VirtualAddress",
                            rva, directoryAt, "0x" + Long.toHexString(size)
                                    + " bytes of relocations not inside the file data of any section"));
            long fileStart = holder.rawOffset() + (rva - holder.virtualAddress());
            List<PeRelocation> relocations = new ArrayList<>();
            long at = fileStart;
            long end = fileStart + size;
            while (at < end) {
                if (end - at < 8) {
                    throw PeFormatException.corrupt(name, "base relocation block header", end - at, at,
                            "fewer than 8 bytes left in the relocation directory");
                }
                long page = u32(at, "base relocation block PageRVA");
                long blockSize = u32(at + 4, "base relocation block SizeOfBlock");
                if (blockSize < 8 || blockSize % 2 != 0 || blockSize > end - at) {
                    throw PeFormatException.corrupt(name, "base relocation block SizeOfBlock", blockSize, at + 4,
                            "must be even, at least 8 and within the directory");
                }
                for (long e = at + 8; e < at + blockSize; e += 2) {
                    int entry = u16(e, "base relocation entry");
                    int type = entry >>> 12;
                    long target = page + (entry & 0xfff);
                    PeRelocation relocation = new PeRelocation(type, target);
                    if (type == PeRelocation.ABSOLUTE) {
                        continue;
                    }
                    if (relocation.width() == 0) {
                        throw PeFormatException.unsupported(name, "base relocation entry type", type, e,
                                "only ABSOLUTE (0), HIGHLOW (3) and DIR64 (10) are loaded");
                    }
                    if (target + relocation.width() > sizeOfImage) {
                        throw PeFormatException.corrupt(name, "base relocation target RVA", target, e,
                                "patches past SizeOfImage 0x" + Long.toHexString(sizeOfImage));
                    }
                    relocations.add(relocation);
                }
                at += blockSize;
            }
            return relocations;
        }

        private void require(long offset, long length, String field, long value, long fieldOffset, String why)
                throws PeFormatException {
            if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
                throw PeFormatException.corrupt(name, field, value, fieldOffset, why + " (file has 0x"
                        + Long.toHexString(buf.capacity()) + " bytes)");
            }
        }

        private int u16(long offset, String field) throws PeFormatException {
            truncated(offset, 2, field);
            return Short.toUnsignedInt(buf.getShort((int) offset));
        }

        private long u32(long offset, String field) throws PeFormatException {
            truncated(offset, 4, field);
            return Integer.toUnsignedLong(buf.getInt((int) offset));
        }

        private long u64(long offset, String field) throws PeFormatException {
            truncated(offset, 8, field);
            return buf.getLong((int) offset);
        }

        private void truncated(long offset, int width, String field) throws PeFormatException {
            if (offset < 0 || offset > buf.capacity() - width) {
                throw PeFormatException.corrupt(name, "file size", buf.capacity(), offset,
                        "truncated: " + field + " lies past the end of the file");
            }
        }
    }
}
