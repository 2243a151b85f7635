package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import jgrub.cli.Main;
import jgrub.fat.write.EspBuilder;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code jgrub check --boot}: every entry booted in a machine of its own, two at a time, with a JUnit report that
 * validates against the schema jgrub documents; an entry whose dom0 kernel is missing fails with Xen's own reason.
 */
class CheckBootTest {

    static Document report(Path file) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Main.class.getResource("junit.xsd")).newValidator()
                .validate(new StreamSource(file.toFile()));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void theDemoDisk_everyEntryBootsOnBothPlatforms(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path disk = TestDisks.make(dir, "mb2");
        Path junit = dir.resolve("report.xml");
        BootRun run = BootRun.of(List.of("check", "--boot", "--disk", disk.toString(), "--platform", "both",
                "--jobs", "2", "--timeout", "180", "--junit", junit.toString()));
        assertEquals(0, run.code(), run.console() + run.err());
        assertTrue(run.console().contains("pass 0 `Debian GNU/Linux, with Xen hypervisor' (efi): "), run.console());
        assertTrue(run.console().contains("pass 0 `Debian GNU/Linux, with Xen hypervisor' (pc): "), run.console());
        assertTrue(run.console().endsWith(": 2 booted, 0 failed\n"), run.console());
        Element suite = (Element) report(junit).getElementsByTagName("testsuite").item(0);
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
    }

    @Test
    void aMissingDom0Kernel_isAFailedCaseWithXensReason(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path cfg = Files.writeString(dir.resolve("grub.cfg"), """
                menuentry 'Xen, dom0 kernel missing' --id broken {
                    multiboot2 /boot/xen.gz placeholder console=com1 com1=115200,8n1 dom0_mem=512M
                    module2 /boot/vmlinuz-missing placeholder root=/dev/ram0 console=hvc0
                }
                """);
        Path disk = dir.resolve("broken.img");
        new EspBuilder(64L << 20).add(cfg, "/EFI/BOOT/grub.cfg").add(Prerequisites.payload("xen.gz"), "/boot/xen.gz")
                .write(disk, false);
        Path junit = dir.resolve("report.xml");
        BootRun run = BootRun.of(List.of("check", "--boot", "--disk", disk.toString(), "--platform", "pc",
                "--entries", "broken", "--until", "JGRUB-INITRAMFS-MARKER", "--timeout", "120", "--junit",
                junit.toString()));
        assertEquals(1, run.code(), run.console() + run.err());
        assertTrue(run.console().contains("FAIL 0 `Xen, dom0 kernel missing' (pc): "), run.console());
        Document report = report(junit);
        Element failure = (Element) report.getElementsByTagName("failure").item(0);
        assertTrue(failure.getTextContent().contains("(XEN)"), failure.getTextContent());
        assertEquals("1", ((Element) report.getElementsByTagName("testsuite").item(0)).getAttribute("failures"));
    }
}
