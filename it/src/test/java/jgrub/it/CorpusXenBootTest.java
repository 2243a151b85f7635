package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.cli.Main;
import jgrub.json.Json;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config written by Debian's own grub-mkconfig ({@code scripts/mkconfig-corpus}, serial variant: Xen's console on
 * COM1), on a disk laid out as its fake grub-probe describes (/boot an ext4 file system on GPT partition 2, found by
 * {@code search --fs-uuid}): for every Xen entry that prints to the serial line, what {@code menu --json} says the
 * entry passes is what Xen says it got when jgrub boots it: its command line and its initial ramdisk's size.
 */
class CorpusXenBootTest {

    @Test
    void everyXenEntry_xenGetsWhatMenuJsonSays(@TempDir Path dir) throws Exception {
        for (String tool : List.of("qemu-system-x86_64", "mke2fs", "sfdisk", "unshare", "grub-mkconfig")) {
            Prerequisites.program(tool);
        }
        run(dir, Prerequisites.repositoryRoot().resolve("scripts/mkconfig-corpus").toString(),
                dir.resolve("corpus").toString(), "1:1:serial");
        Path cfg = dir.resolve("corpus/1-kernels-1-xen-serial.cfg");
        String config = Files.readString(cfg);
        Matcher uuid = Pattern.compile("--set=root ([0-9a-f-]{36})").matcher(config);
        assertTrue(uuid.find(), config);

        // /boot as the config expects it: every file an entry names, the real payloads under Debian's names.
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.createDirectories(boot.resolve("grub"));
        Files.copy(cfg, boot.resolve("grub/grub.cfg"));
        for (String file : files(entries(json("menu", "--json", "--platform", "pc", cfg.toString())))) {
            String payload = file.contains("xen") ? "xen.gz" : file.contains("vmlinuz") ? "vmlinuz" : "initrd.img";
            Files.copy(Prerequisites.payload(payload), boot.resolve(file.substring(1)));
        }
        Path ext = dir.resolve("boot.ext4");
        run(dir, "mke2fs", "-q", "-F", "-t", "ext4", "-U", uuid.group(1), "-d", boot.toString(), ext.toString(), "96M");
        Path disk = dir.resolve("disk.img");
        try (var raw = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            raw.setLength((1 + 32 + 96 + 1) << 20);
        }
        Process sfdisk = new ProcessBuilder("sfdisk", "-q", disk.toString()).redirectErrorStream(true).start();
        sfdisk.getOutputStream().write("label: gpt\nstart=2048, size=65536, type=U\nstart=67584, size=196608, type=L\n"
                .getBytes());
        sfdisk.getOutputStream().close();
        assertEquals(0, sfdisk.waitFor(), new String(sfdisk.getInputStream().readAllBytes()));
        run(dir, "dd", "if=" + ext, "of=" + disk, "bs=1M", "seek=33", "conv=notrunc,sparse", "status=none");

        List<Map<?, ?>> xenEntries = new ArrayList<>();
        for (Map<?, ?> entry : entries(json("menu", "--json", "--disk", disk.toString(), "--platform", "pc"))) {
            Map<?, ?> kernel = (Map<?, ?>) ((List<?>) entry.get("commands")).get(0);
            if (kernel.get("name").toString().startsWith("multiboot")
                    && ((List<?>) kernel.get("args")).contains("console=com1")) {
                xenEntries.add(entry);
            }
        }
        assertEquals(2, xenEntries.size(), "the simple Xen entry and the advanced one print to COM1");
        for (Map<?, ?> entry : xenEntries) {
            List<?> commands = (List<?>) entry.get("commands");
            List<?> args = (List<?>) ((Map<?, ?>) commands.get(0)).get("args");
            Map<?, ?> lastModule = (Map<?, ?>) commands.get(commands.size() - 2);
            Map<?, ?> initrd = (Map<?, ?>) ((List<?>) lastModule.get("files")).get(0);
            BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "pc", "--entry",
                    entry.get("path").toString(), "--until", "\\(XEN\\)  Init\\. ramdisk", "--timeout", "120"));
            assertEquals(0, run.code(), run.tail());
            String xenLine = String.join(" ", args.subList(1, args.size()).stream().map(String::valueOf).toList());
            assertTrue(run.console().contains("(XEN) Command line: " + xenLine + "\n"), xenLine + run.tail());
            Matcher ramdisk = Pattern.compile("\\(XEN\\)  Init\\. ramdisk: ([0-9a-f]{16})->([0-9a-f]{16})")
                    .matcher(run.console());
            assertTrue(ramdisk.find(), run.tail());
            assertEquals(initrd.get("size"), Long.parseUnsignedLong(ramdisk.group(2), 16)
                    - Long.parseUnsignedLong(ramdisk.group(1), 16), entry.get("title") + run.tail());
        }
    }

    /** Every entry of a menu --json, submenus' included, in menu order. */
    static List<Map<?, ?>> entries(Map<?, ?> menu) {
        List<Map<?, ?>> out = new ArrayList<>();
        collect((List<?>) menu.get("entries"), out);
        return out;
    }

    private static void collect(List<?> items, List<Map<?, ?>> out) {
        for (Object item : items) {
            Map<?, ?> map = (Map<?, ?>) item;
            if ("submenu".equals(map.get("type"))) {
                collect((List<?>) map.get("entries"), out);
            } else {
                out.add(map);
            }
        }
    }

    /** The paths of every file the entries name. */
    static TreeSet<String> files(List<Map<?, ?>> entries) {
        TreeSet<String> paths = new TreeSet<>();
        for (Map<?, ?> entry : entries) {
            for (Object command : (List<?>) entry.get("commands")) {
                for (Object file : (List<?>) ((Map<?, ?>) command).get("files")) {
                    paths.add(((Map<?, ?>) file).get("path").toString());
                }
            }
        }
        assertFalse(paths.isEmpty());
        return paths;
    }

    static Map<?, ?> json(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(args, new PrintWriter(out), new PrintWriter(err)), err.toString());
        return (Map<?, ?>) Json.parse(out.toString().strip());
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
