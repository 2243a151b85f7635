package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.cli.Main;
import jgrub.json.Json;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Boots Debian's Xen 4.17 with a Debian dom0 kernel and a busybox initramfs from a disk whose grub.cfg is written as
 * Debian's 20_linux_xen writes it ({@code scripts/make-test-disk}), through {@code jgrub boot}, to the marker the
 * initramfs prints, on every path: Multiboot 2 and Multiboot 1 on pc, Multiboot 2 with the EFI entry and xen.efi
 * chainloaded on efi (jgrub's own EFI environment). Checks what Xen says it received: the loader name, the command
 * line GRUB 2 gives for that config (efi adds 20_linux_xen's no-real-mode edd=off; xen.efi takes xen.cfg's), its dom0
 * kernel, and the memory map: on pc the one SeaBIOS reports in its own debug log, on efi an EFI map.
 */
class XenMultibootBootTest {

    private static final Pattern SEABIOS_E820 =
            Pattern.compile("^\\s*\\d+: ([0-9a-f]{16}) - ([0-9a-f]{16}) = (\\d+) ", Pattern.MULTILINE);
    private static final Pattern XEN_E820 =
            Pattern.compile("^\\(XEN\\)  \\[([0-9a-f]{16}), ([0-9a-f]{16})\\] \\((\\w+)\\)", Pattern.MULTILINE);

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mb2   | pc  | jgrub | placeholder console=com1 com1=115200,8n1 dom0_mem=512M",
        "mb1   | pc  | jgrub | placeholder console=com1 com1=115200,8n1 dom0_mem=512M",
        "mb2   | efi | jgrub | placeholder console=com1 com1=115200,8n1 dom0_mem=512M no-real-mode edd=off",
        "chain | efi | EFI   | console=com1 com1=115200,8n1 dom0_mem=512M",
    })
    void debianXen_bootsToTheInitramfsMarker(String kind, String platform, String loader, String commandLine)
            throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        for (String tool : List.of("sfdisk", "mkfs.fat", "mcopy", "mmd")) {
            Prerequisites.program(tool);
        }
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Prerequisites.payload("xen.gz");
        Path disk = TestDisks.make(temp, kind);
        Path seabios = temp.resolve("seabios.log");

        List<String> args = new ArrayList<>(List.of("boot", disk.toString(), "--platform", platform, "--until",
                Pattern.quote(marker), "--timeout", "300", "--timings"));
        if (platform.equals("efi")) {
            args.add("--trace-efi");
        }
        args.addAll(List.of("--", "-chardev", "file,id=seabios,path=" + seabios, "-device",
                "isa-debugcon,iobase=0x402,chardev=seabios"));
        BootRun run = BootRun.of(args);
        String console = run.console();
        String tail = run.tail();

        run.assertReached(marker);
        assertTimings(run.err(), tail);
        assertTrue(console.contains("(XEN) Bootloader: " + loader), tail);
        // GRUB 2 gives Xen the words after the path, so the first word is 20_linux_xen's placeholder.
        assertTrue(console.contains("(XEN) Command line: " + commandLine + "\n"), tail);
        // Three modules: Xen's dom0 builder ran (the kernel), and the initramfs under it printed the marker.
        assertTrue(console.contains("(XEN)  Dom0 kernel: 64-bit"), tail);
        if (!kind.equals("chain")) {
            assertMenuJsonIsWhatXenGot(disk, platform, console, tail);
        }
        if (platform.equals("pc")) {
            assertEquals(seabiosMap(seabios), xenMap(console), tail);
        } else {
            assertTrue(console.contains("(XEN) EFI RAM map:"), tail);
            // Xen called jgrub's boot services itself and left them as UEFI says: GetMemoryMap, then
            // ExitBootServices with that map's key.
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith("efi: ExitBootServices(")
                    && l.endsWith("= EFI_SUCCESS")), tail);
        }
    }

    /**
     * {@code menu --json} says what the default entry boots; Xen says what it got: its command line is the words after
     * the kernel's path, and its initial ramdisk (the last module) is as long as the file menu --json sized.
     */
    private static void assertMenuJsonIsWhatXenGot(Path disk, String platform, String console, String tail) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"menu", "--json", "--disk", disk.toString(), "--platform", platform},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        Map<?, ?> menu = (Map<?, ?>) Json.parse(out.toString().strip());
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) menu.get("entries")).stream()
                .filter(e -> ((Map<?, ?>) e).get("path").equals(menu.get("defaultPath"))).findFirst().orElseThrow();
        List<?> commands = (List<?>) entry.get("commands");
        Map<?, ?> kernel = (Map<?, ?>) commands.get(0);
        List<?> args = (List<?>) kernel.get("args");
        assertTrue(console.contains("(XEN) Command line: " + String.join(" ", args.subList(1, args.size())
                .stream().map(String::valueOf).toList()) + "\n"), kernel + tail);
        Map<?, ?> lastModule = (Map<?, ?>) commands.get(commands.size() - 2);
        long size = (Long) ((Map<?, ?>) ((List<?>) lastModule.get("files")).get(0)).get("size");
        Matcher ramdisk = Pattern.compile("\\(XEN\\)  Init\\. ramdisk: ([0-9a-f]{16})->([0-9a-f]{16})")
                .matcher(console);
        assertTrue(ramdisk.find(), tail);
        assertEquals(size, Long.parseUnsignedLong(ramdisk.group(2), 16) - Long.parseUnsignedLong(ramdisk.group(1), 16),
                lastModule + tail);
    }

    /** --timings: every step of the boot, in the order they happen. */
    private static void assertTimings(String stderr, String tail) {
        // The steps in the order they happened: QEMU starts at once, the config and images are read meanwhile.
        Matcher m = Pattern.compile("jgrub: timings \\(s since main\\): (.*)\n").matcher(stderr.replace("\r\n",
                "\n"));
        assertTrue(m.find(), tail);
        Map<String, Double> at = new java.util.LinkedHashMap<>();
        for (String step : m.group(1).split(", ")) {
            int space = step.lastIndexOf(' ');
            at.put(step.substring(0, space), Double.parseDouble(step.substring(space + 1)));
        }
        assertEquals(java.util.Set.of("QEMU started", "config evaluated", "images loaded", "firmware at jgrub's ROM",
                "handed off", "ended"), at.keySet(), m.group() + tail);
        assertEquals(List.copyOf(at.values()), at.values().stream().sorted().toList(), m.group() + tail);
        assertTrue(at.get("config evaluated") <= at.get("images loaded"), m.group() + tail);
        assertTrue(Math.max(at.get("images loaded"), at.get("firmware at jgrub's ROM")) <= at.get("handed off"),
                m.group() + tail);
    }

    /** "base-end type" lines of the last E820 dump in SeaBIOS's debug log, type as Xen names it. */
    private static List<String> seabiosMap(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        String dump = text.substring(text.lastIndexOf("e820 map has"));
        List<String> map = new ArrayList<>();
        Matcher m = SEABIOS_E820.matcher(dump);
        while (m.find()) {
            long end = Long.parseUnsignedLong(m.group(2), 16) - 1;
            map.add(m.group(1) + "-" + String.format("%016x", end) + " "
                    + (m.group(3).equals("1") ? "usable" : "reserved"));
        }
        assertFalse(map.isEmpty(), dump);
        return map;
    }

    private static List<String> xenMap(String console) {
        String dump = console.substring(console.indexOf("(XEN) Xen-e820 RAM map:"));
        List<String> map = new ArrayList<>();
        Matcher m = XEN_E820.matcher(dump);
        while (m.find() && m.start() < dump.indexOf("System RAM")) {
            map.add(m.group(1) + "-" + m.group(2) + " " + m.group(3));
        }
        return map;
    }
}
