package jgrub.cli.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.EnvironmentRegion;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The plan as a table and as SVG, for a plan shaped like a Multiboot 2 boot of Xen on SeaBIOS's map. */
class PlanPictureTest {

    static final Firmware FIRMWARE = new Firmware(List.of(
            new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
            new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
            new MemoryRegion(0x100000, 0x7fee0000L, MemoryType.USABLE),
            new MemoryRegion(0x7ffe0000L, 0x20000, MemoryType.ACPI_RECLAIMABLE)),
            Optional.of(new Firmware.AcpiRsdp(0xf59d0, new byte[20])),
            List.of(new MemoryRegion(0, 0x500, MemoryType.RESERVED), new MemoryRegion(0x1000, 0xf000,
                    MemoryType.RESERVED)));

    static final BootPlan PLAN = new BootPlan("Multiboot 2", List.of(
            Segment.of("Multiboot 2 information", 0x100018, new byte[440]),
            Segment.of("module 1 (/vmlinuz)", 0x101000, new byte[0x7dd7c0]),
            new Segment("/xen.gz segment 0 <text & bss>", 0x200000, jgrub.boot.Contents.of(new byte[16]), 0x3a7000)),
            new EntryState.Protected32(0x200040, 0x36d76289, 0x100018, 0x7ff00));

    @Test
    void table_listsEveryRangeWithSizeAndTheEntry() {
        String table = new PlanPicture(FIRMWARE, PLAN).table();
        assertTrue(table.startsWith("firmware map (E820):\n  0x000000000-0x00009FBFF  639.0 KiB  usable\n"), table);
        assertTrue(table.contains("  0x07FFE0000-0x07FFFFFFF  128.0 KiB  acpi reclaimable\n"), table);
        assertTrue(table.contains("jgrub:\n  0x000000000-0x0000004FF    1.3 KiB  BIOS data (kept)\n"), table);
        assertTrue(table.contains("  0x0000F59D0-0x0000F59E3       20 B  ACPI RSDP (rev 0)\n"), table);
        assertTrue(table.contains("boot plan (Multiboot 2):\n  0x000100018-0x0001001CF      440 B  Multiboot 2"
                + " information\n"), table);
        assertTrue(table.contains("  0x000200000-0x0005A6FFF    3.7 MiB  /xen.gz segment 0 <text & bss>\n"), table);
        assertTrue(table.endsWith("entry: 32-bit protected mode, EIP=0x00200040 EAX=0x36D76289 EBX=0x00100018"
                + " ESP=0x0007FF00\n"), table);
    }

    @Test
    void svg_isWellFormedWithABoxAndTitleForEveryRegion() throws Exception {
        PlanPicture picture = new PlanPicture(FIRMWARE, PLAN);
        String svg = picture.svg();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        NodeList groups = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < groups.getLength(); i++) {
            org.w3c.dom.Element g = (org.w3c.dom.Element) groups.item(i);
            assertEquals(1, g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength());
            titles.add(g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent());
        }
        assertEquals(picture.boxes().size(), titles.size());
        assertEquals(5 + 3 + 3, titles.size());
        for (String expected : List.of("usable: 0x000000000-0x00009FBFF, 639.0 KiB",
                "acpi reclaimable: 0x07FFE0000-0x07FFFFFFF, 128.0 KiB", "jgrub ROM area: 0x000001000-0x00000FFFF,"
                        + " 60.0 KiB", "ACPI RSDP (rev 0): 0x0000F59D0-0x0000F59E3, 20 B",
                "module 1 (/vmlinuz): 0x000101000-0x0008DE7BF, 7.9 MiB",
                "/xen.gz segment 0 <text & bss>: 0x000200000-0x0005A6FFF, 3.7 MiB")) {
            assertTrue(titles.contains(expected), expected + " in " + titles);
        }
    }

    @Test
    void efiEnvironmentRegions_areListedAndDrawnInJgrubsColumn() throws Exception {
        BootPlan efi = PLAN.withEnvironment(List.of(
                new EnvironmentRegion("EFI system & runtime tables", 0x7fef0000L, 0x4000,
                        "RUNTIME_SERVICES_DATA"),
                new EnvironmentRegion("image /EFI/xen/xen.efi", 0x7f000000L, 0x2d5000, "LOADER_CODE")));
        PlanPicture picture = new PlanPicture(FIRMWARE, efi);
        String table = picture.table();
        assertTrue(table.contains("  0x07F000000-0x07F2D4FFF    2.8 MiB  image /EFI/xen/xen.efi [EfiLoaderCode]\n"
                + "  0x07FEF0000-0x07FEF3FFF   16.0 KiB  EFI system & runtime tables"
                + " [EfiRuntimeServicesData]\nboot plan"), table);
        String svg = picture.svg();
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertTrue(svg.contains("<title>image /EFI/xen/xen.efi [EfiLoaderCode]: 0x07F000000-0x07F2D4FFF, 2.8 MiB"
                + "</title><rect x=\"352\""), svg);
        // the box's text leaves the EFI memory type to the title
        assertTrue(svg.contains(">image /EFI/xen/xen.efi</text>"), svg);
        assertTrue(svg.contains(">EFI system &amp; runtime tables</text>"), svg);
        assertEquals(new PlanPicture(FIRMWARE, PLAN).boxes().size() + 2, picture.boxes().size());
    }

    @Test
    void boxTextFitsItsColumn() {
        assertEquals("module 1 (/vmlinuz) (7.9 MiB)", PlanPicture.fit("module 1 (/vmlinuz)", "7.9 MiB"));
        assertEquals("module 2 (/boot/initrd.img)", PlanPicture.fit("module 2 (/boot/initrd.img)", "1004.2 KiB"));
        assertEquals("image stack (128.0 KiB)", PlanPicture.fit("image stack", "128.0 KiB"));
        assertEquals("module 3 (/boot/a-very-long-na\u2026", PlanPicture.fit("module 3 (/boot/a-very-long-name)",
                "1 B"));
    }

    @Test
    void biggerRangesAreTaller() throws Exception {
        String svg = new PlanPicture(FIRMWARE, PLAN).svg();
        assertTrue(svg.contains("height=\"14\" fill=\"#cfe2f3\""), "440 B info structure: the minimum band");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<title>usable: 0x000100000[^<]*</title><rect [^>]*"
                + "height=\"(\\d+)\"").matcher(svg);
        assertTrue(m.find(), svg);
        assertTrue(Integer.parseInt(m.group(1)) > 100, "2 GiB of RAM spans several bands: " + m.group(1));
    }
}
