package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import jgrub.boot.Platform;
import jgrub.grub.EntryBoots;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The JUnit XML of {@code check --boot}: valid against {@code junit.xsd}, a failure with its reason and console. */
class JunitReportTest {

    static void validate(String xml) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JunitReport.class.getResource("junit.xsd"))
                .newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    @Test
    void passesAndFailures_validAgainstTheSchema() throws Exception {
        List<EntryBoots.Outcome> outcomes = List.of(
                new EntryBoots.Outcome(new EntryBoots.Case("0", "Debian <Xen> & \"dom0\"", Platform.EFI), true,
                        "matched --until", List.of(), Duration.ofMillis(2500)),
                new EntryBoots.Outcome(new EntryBoots.Case("1>0", "Xen, no dom0", Platform.PC), false,
                        "the guest reset the machine", List.of("(XEN) Panic on CPU 0:", "\u001b[0mnoise\u0000"),
                        Duration.ofSeconds(9)));
        String xml = JunitReport.write("(hd0,gpt1)/EFI/BOOT/grub.cfg", outcomes, Instant.parse("2026-12-04T16:00:00Z"));
        validate(xml);
        Document doc = parse(xml);
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("11.500", suite.getAttribute("time"));
        Element first = (Element) doc.getElementsByTagName("testcase").item(0);
        assertEquals("jgrub.boot.efi", first.getAttribute("classname"));
        assertEquals("0 Debian <Xen> & \"dom0\"", first.getAttribute("name"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("the guest reset the machine", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("(XEN) Panic on CPU 0:"), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("\ufffd[0mnoise\ufffd"), "control characters replaced");
    }

    @Test
    void noBoots_isAnEmptyValidSuite() throws Exception {
        String xml = JunitReport.write("grub.cfg", List.of(), Instant.EPOCH);
        validate(xml);
        assertEquals("0", ((Element) parse(xml).getElementsByTagName("testsuite").item(0)).getAttribute("tests"));
    }
}
