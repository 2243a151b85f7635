package jgrub.cli.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.EnvironmentRegion;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.Segment;

/**
 * Where a boot puts everything in guest memory, for people: a table (firmware map, jgrub's own ranges, the loader's
 * segments, the CPU entry) and an SVG map. The map has three columns over one address axis; as the interesting
 * ranges differ in size by a factor of a million, every band between two boundaries gets a height that grows with
 * the logarithm of its size, so a 4 KiB info structure and a 2 GiB RAM range are both readable.
 */
public final class PlanPicture {

    /**
     * One box of the picture: its column, range and label, and a detail (an EFI memory type, or empty) that the table
     * and the box's title show but that its text leaves out for room.
     */
    record Box(Column column, long base, long end, String label, String detail) {

        Box(Column column, long base, long end, String label) {
            this(column, base, end, label, "");
        }

        String fullLabel() {
            return detail.isEmpty() ? label : label + " [" + detail + "]";
        }
    }

    enum Column {
        FIRMWARE("firmware map (E820)"), JGRUB("jgrub"), PLAN("boot plan");

        final String title;

        Column(String title) {
            this.title = title;
        }
    }

    private final Firmware firmware;
    private final BootPlan plan;

    public PlanPicture(Firmware firmware, BootPlan plan) {
        this.firmware = firmware;
        this.plan = plan;
    }

    List<Box> boxes() {
        List<Box> boxes = new ArrayList<>();
        for (MemoryRegion r : firmware.memoryMap()) {
            boxes.add(new Box(Column.FIRMWARE, r.base(), r.base() + r.length(), r.type().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ')));
        }
        for (MemoryRegion r : firmware.loaderReserved()) {
            boxes.add(new Box(Column.JGRUB, r.base(), r.base() + r.length(), r.base() == 0 ? "BIOS data (kept)"
                    : "jgrub ROM area"));
        }
        firmware.rsdp().ifPresent(rsdp -> boxes.add(new Box(Column.JGRUB, rsdp.address(),
                rsdp.address() + rsdp.bytes().length, "ACPI RSDP (rev " + rsdp.revision() + ")")));
        for (EnvironmentRegion r : plan.environment()) {
            boxes.add(new Box(Column.JGRUB, r.address(), r.end(), r.name(), efiType(r.type())));
        }
        for (Segment s : plan.segments()) {
            boxes.add(new Box(Column.PLAN, s.address(), s.end(), s.name()));
        }
        return boxes;
    }

    /** The plan as a table, one range per line, sorted by address within each part. */
    public String table() {
        StringBuilder out = new StringBuilder();
        for (Column column : Column.values()) {
            out.append(column == Column.PLAN ? "boot plan (" + plan.protocol() + "):" : column.title + ":")
                    .append('\n');
            boxes().stream().filter(b -> b.column() == column)
                    .sorted(java.util.Comparator.comparingLong(Box::base))
                    .forEach(b -> out.append(String.format(Locale.ROOT, "  %s-%s %10s  %s%n", hex(b.base()),
                            hex(b.end() - 1), size(b.end() - b.base()), b.fullLabel())));
        }
        out.append("entry: ").append(entry(plan.entry())).append('\n');
        return out.toString();
    }

    static String entry(EntryState state) {
        if (state instanceof EntryState.Protected32 p) {
            return String.format(Locale.ROOT, "32-bit protected mode, EIP=0x%08X EAX=0x%08X EBX=0x%08X ESP=0x%08X",
                    p.eip(), p.eax(), p.ebx(), p.esp())
                    + (p.esi() == 0 ? "" : String.format(Locale.ROOT, " ESI=0x%08X", p.esi()));
        }
        if (state instanceof EntryState.Real16 r) {
            return String.format(Locale.ROOT, "real mode, CS:IP=%04X:%04X DS=ES=FS=GS=SS=%04X SP=%04X", r.cs(), r.ip(),
                    r.segment(), r.sp());
        }
        EntryState.Long64 l = (EntryState.Long64) state;
        return String.format(Locale.ROOT, "64-bit long mode, RIP=0x%X RAX=0x%X RBX=0x%X RCX=0x%X RDX=0x%X RSP=0x%X",
                l.rip(), l.rax(), l.rbx(), l.rcx(), l.rdx(), l.rsp())
                + (l.handoff() == 0 ? "" : String.format(Locale.ROOT, " (through the firmware's handoff at 0x%X)",
                        l.handoff()));
    }

    /** RUNTIME_SERVICES_DATA as the EFI specification writes it: EfiRuntimeServicesData. */
    static String efiType(String name) {
        StringBuilder out = new StringBuilder("Efi");
        for (String word : name.split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    static String hex(long value) {
        return String.format(Locale.ROOT, "0x%09X", value);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    // ---- SVG ----------------------------------------------------------------------------------------------------

    private static final int AXIS = 110;
    private static final int COLUMN_WIDTH = 230;
    private static final int GAP = 12;
    private static final int TOP = 58;

    /** The map as a standalone SVG document; each box carries a {@code <title>} with its range and size. */
    public String svg() {
        List<Box> boxes = boxes();
        TreeSet<Long> bounds = new TreeSet<>();
        for (Box b : boxes) {
            bounds.add(b.base());
            bounds.add(b.end());
        }
        List<Long> edges = new ArrayList<>(bounds);
        // y of each boundary: bands are 14 px plus 4 px per doubling above 4 KiB, so size reads as height.
        long[] y = new long[edges.size()];
        y[0] = TOP;
        for (int i = 1; i < edges.size(); i++) {
            long span = edges.get(i) - edges.get(i - 1);
            int doublings = 63 - Long.numberOfLeadingZeros(Math.max(1, span >> 12));
            y[i] = y[i - 1] + 14 + 4L * Math.max(0, doublings);
        }
        int width = AXIS + 3 * (COLUMN_WIDTH + GAP) + 10;
        long height = y[y.length - 1] + 30;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">%n", width, height, width, height));
        svg.append("<title>").append(escape("jgrub boot plan: " + plan.protocol())).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"16\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape("jgrub boot plan: " + plan.protocol())));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"30\">%s</text>%n", escape("entry: "
                + entry(plan.entry()))));
        for (Column c : Column.values()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"50\" font-weight=\"bold\">%s</text>%n",
                    x(c) + 4, escape(c.title)));
        }
        for (int i = 0; i < edges.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    AXIS - 6, y[i], width - 10, y[i]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    AXIS - 8, y[i] + 4, hex(edges.get(i))));
        }
        for (Box b : boxes) {
            long top = y[edges.indexOf(b.base())];
            long bottom = y[edges.indexOf(b.end())];
            svg.append("<g>");
            svg.append("<title>").append(escape(b.fullLabel() + ": " + hex(b.base()) + "-" + hex(b.end() - 1) + ", "
                    + size(b.end() - b.base()))).append("</title>");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
                    + " stroke=\"#333\"/>", x(b.column()), top, COLUMN_WIDTH, Math.max(1, bottom - top), color(b)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", x(b.column()) + 4,
                    (top + bottom) / 2 + 4, escape(fit(b.label(), size(b.end() - b.base())))));
            svg.append("</g>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Characters of 11 px monospace that fit a column. */
    private static final int COLUMN_CHARS = (COLUMN_WIDTH - 8) / 7;

    /**
     * A box's text: label and size when they fit the column, else the label alone, shortened if need be (the box's
     * title always has everything).
     */
    static String fit(String label, String size) {
        String full = label + " (" + size + ")";
        if (full.length() <= COLUMN_CHARS) {
            return full;
        }
        return label.length() <= COLUMN_CHARS ? label : label.substring(0, COLUMN_CHARS - 1) + "\u2026";
    }

    private static int x(Column c) {
        return AXIS + c.ordinal() * (COLUMN_WIDTH + GAP);
    }

    private static String color(Box b) {
        return switch (b.column()) {
            case FIRMWARE -> b.label().equals("usable") ? "#d9f2d9" : b.label().startsWith("acpi") ? "#fff2cc"
                    : "#e6e6e6";
            case JGRUB -> "#f4cccc";
            case PLAN -> "#cfe2f3";
        };
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
