package jgrub.multiboot.mb2;

import java.util.List;

/**
 * The Multiboot 2 header tags (Multiboot 2 specification section 3.1.3 to 3.1.13), one record per type GRUB knows.
 * {@code offset} is the tag's byte offset in the file, {@code optional} its flags bit 0.
 */
public sealed interface HeaderTag {

    int TYPE_END = 0;
    int TYPE_INFORMATION_REQUEST = 1;
    int TYPE_ADDRESS = 2;
    int TYPE_ENTRY_ADDRESS = 3;
    int TYPE_CONSOLE_FLAGS = 4;
    int TYPE_FRAMEBUFFER = 5;
    int TYPE_MODULE_ALIGN = 6;
    int TYPE_EFI_BS = 7;
    int TYPE_ENTRY_ADDRESS_EFI32 = 8;
    int TYPE_ENTRY_ADDRESS_EFI64 = 9;
    int TYPE_RELOCATABLE = 10;

    int type();

    long offset();

    boolean optional();

    /** Type 1: info tags the image wants; a required one GRUB cannot give makes GRUB refuse the image. */
    record InformationRequest(long offset, boolean optional, List<Integer> requests) implements HeaderTag {
        public InformationRequest {
            requests = List.copyOf(requests);
        }

        @Override
        public int type() {
            return TYPE_INFORMATION_REQUEST;
        }
    }

    /** Type 2: a.out-kludge load addresses. */
    record Address(long offset, boolean optional, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr)
            implements HeaderTag {
        @Override
        public int type() {
            return TYPE_ADDRESS;
        }
    }

    /** Type 3 (i386 entry), 8 (EFI i386 entry) and 9 (EFI amd64 entry). */
    record EntryAddress(int type, long offset, boolean optional, long entryAddr) implements HeaderTag {
    }

    /** Type 4: bit 0 console required, bit 1 EGA text supported. */
    record ConsoleFlags(long offset, boolean optional, long consoleFlags) implements HeaderTag {
        public static final long CONSOLE_REQUIRED = 1;
        public static final long EGA_TEXT_SUPPORTED = 2;

        @Override
        public int type() {
            return TYPE_CONSOLE_FLAGS;
        }
    }

    /** Type 5: preferred framebuffer mode; 0 means no preference. */
    record Framebuffer(long offset, boolean optional, long width, long height, long depth) implements HeaderTag {
        @Override
        public int type() {
            return TYPE_FRAMEBUFFER;
        }
    }

    /** Type 6: modules page aligned (GRUB always does that). */
    record ModuleAlign(long offset, boolean optional) implements HeaderTag {
        @Override
        public int type() {
            return TYPE_MODULE_ALIGN;
        }
    }

    /** Type 7: keep EFI boot services running at entry. */
    record EfiBootServices(long offset, boolean optional) implements HeaderTag {
        @Override
        public int type() {
            return TYPE_EFI_BS;
        }
    }

    /** Type 10: the image may be loaded anywhere in [min, max] at this alignment; preference 1 low, 2 high. */
    record Relocatable(long offset, boolean optional, long minAddr, long maxAddr, long align, long preference)
            implements HeaderTag {
        public static final int PREFERENCE_NONE = 0;
        public static final int PREFERENCE_LOW = 1;
        public static final int PREFERENCE_HIGH = 2;

        @Override
        public int type() {
            return TYPE_RELOCATABLE;
        }

        public String preferenceName() {
            return preference == PREFERENCE_LOW ? "low" : preference == PREFERENCE_HIGH ? "high" : "none";
        }
    }

    /** A type GRUB does not know; accepted only when optional. */
    record Unknown(int type, long offset, boolean optional, long size) implements HeaderTag {
    }

    /** The tag type's name, for {@code jgrub inspect}. */
    static String describeType(int type) {
        return typeName(type);
    }

    /** The tag's fields with names and values, for {@code jgrub inspect}; empty for tags without fields. */
    static String describeFields(HeaderTag tag) {
        if (tag instanceof InformationRequest r) {
            StringBuilder b = new StringBuilder(":");
            for (int t : r.requests()) {
                b.append(' ').append(Integer.toUnsignedString(t)).append(" (").append(infoTagName(t)).append(')');
            }
            return b.toString();
        }
        if (tag instanceof Address a) {
            return ": header_addr 0x" + Long.toHexString(a.headerAddr()) + " load_addr 0x"
                    + Long.toHexString(a.loadAddr()) + " load_end_addr 0x" + Long.toHexString(a.loadEndAddr())
                    + " bss_end_addr 0x" + Long.toHexString(a.bssEndAddr());
        }
        if (tag instanceof EntryAddress e) {
            return ": entry_addr 0x" + Long.toHexString(e.entryAddr());
        }
        if (tag instanceof ConsoleFlags c) {
            return ": console_flags 0x" + Long.toHexString(c.consoleFlags())
                    + ((c.consoleFlags() & ConsoleFlags.CONSOLE_REQUIRED) != 0 ? " console required" : "")
                    + ((c.consoleFlags() & ConsoleFlags.EGA_TEXT_SUPPORTED) != 0 ? " EGA text supported" : "");
        }
        if (tag instanceof Framebuffer f) {
            return ": width " + f.width() + " height " + f.height() + " depth " + f.depth();
        }
        if (tag instanceof Relocatable r) {
            return ": min_addr 0x" + Long.toHexString(r.minAddr()) + " max_addr 0x" + Long.toHexString(r.maxAddr())
                    + " align 0x" + Long.toHexString(r.align()) + " preference " + r.preference() + " ("
                    + r.preferenceName() + ")";
        }
        if (tag instanceof Unknown u) {
            return ": size 0x" + Long.toHexString(u.size());
        }
        return "";
    }

    /** Names of the boot information tag types (Multiboot 2 section 3.6) an information request may list. */
    static String infoTagName(int type) {
        return switch (type) {
            case 0 -> "end";
            case 1 -> "command line";
            case 2 -> "boot loader name";
            case 3 -> "module";
            case 4 -> "basic memory info";
            case 5 -> "BIOS boot device";
            case 6 -> "memory map";
            case 7 -> "VBE info";
            case 8 -> "framebuffer info";
            case 9 -> "ELF sections";
            case 10 -> "APM table";
            case 11 -> "EFI 32-bit system table";
            case 12 -> "EFI 64-bit system table";
            case 13 -> "SMBIOS tables";
            case 14 -> "ACPI old RSDP";
            case 15 -> "ACPI new RSDP";
            case 16 -> "network";
            case 17 -> "EFI memory map";
            case 18 -> "EFI boot services not terminated";
            case 19 -> "EFI 32-bit image handle";
            case 20 -> "EFI 64-bit image handle";
            case 21 -> "image load base address";
            default -> "unknown";
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case TYPE_END -> "end";
            case TYPE_INFORMATION_REQUEST -> "information request";
            case TYPE_ADDRESS -> "address";
            case TYPE_ENTRY_ADDRESS -> "entry address";
            case TYPE_CONSOLE_FLAGS -> "console flags";
            case TYPE_FRAMEBUFFER -> "framebuffer";
            case TYPE_MODULE_ALIGN -> "module alignment";
            case TYPE_EFI_BS -> "EFI boot services";
            case TYPE_ENTRY_ADDRESS_EFI32 -> "EFI i386 entry address";
            case TYPE_ENTRY_ADDRESS_EFI64 -> "EFI amd64 entry address";
            case TYPE_RELOCATABLE -> "relocatable";
            default -> "unknown";
        };
    }
}
