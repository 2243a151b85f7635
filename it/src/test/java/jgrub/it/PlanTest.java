package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import jgrub.cli.Main;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrub plan} on a Debian-style disk: QEMU runs SeaBIOS and jgrub's ROM for the real memory map, the plan of
 * the default entry (Multiboot 2 on EFI) is printed and drawn, and Xen never runs.
 */
class PlanTest {

    @Test
    void planOfTheDefaultEntry_tableAndSvg(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path disk = TestDisks.make(dir, "mb2");
        Path svg = dir.resolve("plan.svg");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"plan", disk.toString(), "--svg", svg.toString()}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        String table = out.toString();
        assertTrue(table.startsWith("entry 0 `Debian GNU/Linux, with Xen hypervisor' on efi:\nfirmware map (E820):\n"
                + "  0x000000000-0x00009FBFF  639.0 KiB  usable\n"), table);
        assertTrue(table.contains("boot plan (Multiboot 2 (EFI amd64)):\n"), table);
        for (String part : new String[] {"Multiboot 2 information", "module 1 (/boot/vmlinuz)",
            "module 2 (/boot/initrd.img)", "/boot/xen.gz segment 0", "entry: 64-bit long mode, RIP=0x",
            // jgrub's EFI environment, written to guest memory before the plan's segments
            "  4.0 KiB  EFI service stubs [EfiRuntimeServicesCode]\n",
            "  4.0 KiB  EFI call mailbox [EfiRuntimeServicesData]\n",
            " 16.0 KiB  EFI system & runtime tables [EfiRuntimeServicesData]\n",
            "256.0 KiB  EFI boot services, handles [EfiBootServicesData]\n",
            "stack of the EFI entry [EfiBootServicesData]\n"}) {
            assertTrue(table.contains(part), part + " in\n" + table);
        }
        String picture = Files.readString(svg);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        for (String part : new String[] {"<title>usable: 0x000100000-", "<title>module 2 (/boot/initrd.img): ",
            "<title>Multiboot 2 information: ", "<title>jgrub ROM area: ",
            "<title>EFI system &amp; runtime tables [EfiRuntimeServicesData]: "}) {
            assertTrue(picture.contains(part), part);
        }
    }

    @Test
    void planOfAChainload_showsTheImageAsItsSegment(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path disk = TestDisks.make(dir, "chain");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"plan", disk.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        String table = out.toString();
        // xen.efi's image is the plan's one segment, placed by the EFI allocator 2 MiB aligned (its section
        // alignment) and written by the machine; it starts on a stack of jgrub's EFI environment
        Matcher image = Pattern.compile("boot plan \\(EFI chainload\\):\n"
                + "  0x(\\p{XDigit}{9})-0x\\p{XDigit}{9} +[0-9.]+ MiB  image /EFI/\\S+xen\\S*\\.efi\n"
                + "entry: 64-bit long mode, RIP=0x").matcher(table);
        assertTrue(image.find(), table);
        assertEquals(0, Long.parseLong(image.group(1), 16) % (2 << 20), image.group());
        assertTrue(table.contains(" 128.0 KiB  image stack [EfiBootServicesData]\n"), table);
    }
}
