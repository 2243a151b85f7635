package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgrub's EFI self-test ({@code it/src/test/efi/selftest.c}, in the manner of U-Boot's {@code lib/efi_selftest}),
 * built here with gnu-efi, run once chainloaded by {@code jgrub boot --platform efi} and once as the removable-media
 * boot file {@code \EFI\BOOT\BOOTX64.EFI} on real UEFI firmware (Debian's OVMF): every case must get the same verdict
 * from both, except the few {@link #EXEMPT} ones, where the specification and OVMF disagree.
 */
class EfiSelfTestTest {

    static final Path GNU_EFI_CRT0 = Path.of("/usr/lib/crt0-efi-x86_64.o");
    static final Path GNU_EFI_LDS = Path.of("/usr/lib/elf_x86_64_efi.lds");
    static final Path GNU_EFI_INCLUDE = Path.of("/usr/include/efi");
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    /** The file the self-test reads through Simple File System: its size and first bytes are in selftest.c. */
    static final String DATA = "jgrub selftest file\n";

    static final Pattern VERDICT = Pattern.compile("selftest: ([a-z0-9-]+): ([^\\r\\n\\e]*)");
    static final Pattern DONE = Pattern.compile("selftest: done (\\d+) cases");
    static final Pattern ANSI = Pattern.compile("\\e\\[[0-9;=?]*[A-Za-z]");

    /**
     * Cases where OVMF departs from what the specification fixes, with jgrub's (the specification's) answer. LoadImage
     * with neither SourceBuffer nor DevicePath: UEFI 2.10 section 7.4.1 says EFI_NOT_FOUND ("Both SourceBuffer and
     * DevicePath are NULL"); EDK2's CoreLoadImageCommon and U-Boot's efi_load_image answer EFI_INVALID_PARAMETER.
     * ReadBlocks and ReadDisk with a MediaId that is not the medium's: sections 13.9 and 13.7 say EFI_MEDIA_CHANGED;
     * OVMF's virtio-blk stack does not compare MediaId and reads (EFI_SUCCESS).
     */
    static final Map<String, String> EXEMPT = Map.of("load-image-no-source", "EFI_NOT_FOUND",
            "block-read-wrong-media", "EFI_MEDIA_CHANGED", "disk-read-wrong-media", "EFI_MEDIA_CHANGED");

    @Test
    void everyCase_getsTheSameVerdict_fromJgrubAndFromOvmf(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path efi = build(dir);
        Path data = dir.resolve("selftest.txt");
        Files.writeString(data, DATA, StandardCharsets.US_ASCII);

        Path cfg = dir.resolve("grub.cfg");
        Files.writeString(cfg, "set timeout=0\nmenuentry selftest {\n  chainloader /EFI/test/selftest.efi\n}\n");
        Path jgrubDisk = disk(dir.resolve("jgrub.img"), cfg + "=/EFI/BOOT/grub.cfg", efi + "=/EFI/test/selftest.efi",
                data + "=/selftest.txt");
        BootRun run = BootRun.of(List.of("boot", jgrubDisk.toString(), "--platform", "efi", "--trace-efi",
                "--until", DONE.pattern(), "--timeout", "240"));
        run.assertReached("selftest: done");
        assertFalse(run.err().contains("internal error"), run.tail());
        Map<String, String> jgrub = verdicts(run.console());

        Path ovmfDisk = disk(dir.resolve("ovmf.img"), efi + "=/EFI/BOOT/BOOTX64.EFI", data + "=/selftest.txt");
        String ovmfConsole = ovmf(dir, ovmfDisk);
        Map<String, String> ovmf = verdicts(ovmfConsole);

        assertEquals(ovmf.keySet().stream().toList(), jgrub.keySet().stream().toList(), "the same cases in order");
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : ovmf.entrySet()) {
            String mine = jgrub.get(e.getKey());
            if (EXEMPT.containsKey(e.getKey())) {
                assertEquals(EXEMPT.get(e.getKey()), mine, "jgrub's answer to the exempt case " + e.getKey());
            } else if (!e.getValue().equals(mine)) {
                differ.add(e.getKey() + ": OVMF " + e.getValue() + ", jgrub " + mine);
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " of " + ovmf.size() + " cases differ:\n"
                + String.join("\n", differ));
        System.out.println("EfiSelfTestTest: " + ovmf.size() + " cases, the same verdict from jgrub and OVMF but for "
                + EXEMPT.keySet());
    }

    /** The case verdicts of one run, in order, up to "done N cases", whose N must count them. */
    static Map<String, String> verdicts(String console) {
        String text = ANSI.matcher(console).replaceAll("");
        Matcher done = DONE.matcher(text);
        assertTrue(done.find(), "the self-test did not finish:\n" + text.substring(Math.max(0, text.length() - 3000)));
        Map<String, String> out = new LinkedHashMap<>();
        for (Matcher m = VERDICT.matcher(text.substring(0, done.start())); m.find(); ) {
            if (!m.group(1).equals("start")) {
                assertEquals(null, out.put(m.group(1), m.group(2).strip()), "case " + m.group(1) + " twice");
            }
        }
        assertEquals(Integer.parseInt(done.group(1)), out.size(), "cases counted");
        return out;
    }

    /** selftest.efi from the C source, as gnu-efi's Make.defaults builds an application. */
    static Path build(Path dir) throws Exception {
        Path gcc = Prerequisites.program("gcc");
        Path ld = Prerequisites.program("ld");
        Path objcopy = Prerequisites.program("objcopy");
        for (Path p : List.of(GNU_EFI_CRT0, GNU_EFI_LDS, GNU_EFI_INCLUDE.resolve("efi.h"))) {
            if (!Files.exists(p)) {
                Prerequisites.missing("file " + p + " (Debian package gnu-efi)");
            }
        }
        Path source = Prerequisites.repositoryRoot().resolve("it/src/test/efi/selftest.c");
        run(dir, gcc.toString(), "-I" + GNU_EFI_INCLUDE, "-I" + GNU_EFI_INCLUDE.resolve("x86_64"), "-fpic",
                "-ffreestanding", "-fno-stack-protector", "-fno-stack-check", "-fshort-wchar", "-mno-red-zone",
                "-maccumulate-outgoing-args", "-DGNU_EFI_USE_MS_ABI", "-O1", "-Wall", "-Wextra", "-c",
                source.toString(), "-o", "selftest.o");
        run(dir, ld.toString(), "-shared", "-Bsymbolic", "-nostdlib", "-znocombreloc", "-T", GNU_EFI_LDS.toString(),
                GNU_EFI_CRT0.toString(), "selftest.o", "-o", "selftest.so", "-L" + GNU_EFI_CRT0.getParent(), "-lefi",
                "-lgnuefi");
        run(dir, objcopy.toString(), "-j", ".text", "-j", ".sdata", "-j", ".data", "-j", ".dynamic", "-j", ".dynsym",
                "-j", ".rel", "-j", ".rela", "-j", ".rel.*", "-j", ".rela.*", "-j", ".reloc", "--target",
                "efi-app-x86_64", "--subsystem=10", "selftest.so", "selftest.efi");
        return dir.resolve("selftest.efi");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + output);
    }

    private static Path disk(Path image, String... files) {
        List<String> args = new ArrayList<>(List.of("mkesp", image.toString(), "--size", "16M"));
        args.addAll(List.of(files));
        BootRun made = BootRun.of(args);
        assertEquals(0, made.code(), made.tail());
        return image;
    }

    /**
     * The serial console of OVMF booting {@code disk}: its code read-only, a copy of its variable store, a virtio RNG
     * for EFI_RNG_PROTOCOL. The self-test ends with ResetSystem(EfiResetShutdown), which ends QEMU.
     */
    static String ovmf(Path dir, Path disk) throws Exception {
        for (Path p : List.of(OVMF_CODE, OVMF_VARS)) {
            if (!Files.isRegularFile(p)) {
                Prerequisites.missing("file " + p + " (Debian package ovmf)");
            }
        }
        Path vars = dir.resolve("OVMF_VARS.fd");
        Files.copy(OVMF_VARS, vars);
        Path log = dir.resolve("ovmf.log");
        Process p = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "1", "-machine",
                "q35", "-nographic", "-no-reboot", "-monitor", "none", "-net", "none", "-serial", "stdio",
                "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-drive", "file=" + disk + ",format=raw,if=virtio", "-device", "virtio-rng-pci")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }
}
