package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An installed Debian 12 Xen host, as Debian's installer lays it out and its own grub-install and update-grub set it
 * up (scripts/make-debian-host): jgrub finds the config as GRUB does, checks it clean, and boots the default Xen entry
 * and the plain Linux entry on both platforms to the getty's {@code login:} prompt, with the disk attached to the
 * guest and never written.
 */
class DebianHostBootTest {

    private static Path host;
    private static String sha256Before;

    @BeforeAll
    static void host() throws Exception {
        host = Prerequisites.debianHost();
        Prerequisites.program("qemu-system-x86_64");
        sha256Before = sha256(host);
    }

    @AfterAll
    static void theImageIsUnchanged() throws Exception {
        if (host != null) {
            assertEquals(sha256Before, sha256(host), "the host image changed during the tests");
        }
    }

    /**
     * Clean but for what GRUB fails on too: Debian's 20_linux_xen writes {@code multiboot2 /boot/xen-4.17-amd64.efi}
     * entries (it skips xen-syms and .config, not .efi), and a PE image whose Multiboot 2 header has no address tag
     * is not one multiboot2 can load, in GRUB's ELF loader or jgrub's.
     */
    @Test
    void check_andMenu_areCleanButForTheEntriesGrubRefusesToo_andSayWhereTheConfigCameFrom() {
        for (String platform : List.of("efi", "pc")) {
            BootRun check = BootRun.of(List.of("check", "--disk", host.toString(), "--platform", platform));
            String all = check.console() + check.err();
            assertEquals(1, check.code(), platform + ": " + all);
            assertTrue(all.contains("jgrub: config (hd0,gpt2)/boot/grub/grub.cfg, prefix (hd0,gpt2)/boot/grub from "
                    + (platform.equals("efi") ? "(hd0,gpt1)/EFI/BOOT/BOOTX64.EFI" : "the BIOS core image")),
                    platform + ": no word of where the config came from: " + all);
            List<String> errors = all.lines().filter(line -> line.startsWith("error: ")).toList();
            assertEquals(2, errors.size(), platform + ": " + all);
            for (String error : errors) {
                assertTrue(error.contains("with Xen 4.17-amd64.efi and Linux") && error.contains("is a PE/COFF (MZ)"
                        + " image whose Multiboot 2 header has no address tag"), platform + ": " + error);
            }
            assertTrue(all.contains(": 2 error(s), 1 warning(s), 12 menu entries"), platform + ": " + all);
            BootRun menu = BootRun.of(List.of("menu", "--disk", host.toString(), "--platform", platform));
            assertEquals(0, menu.code(), platform + ": " + menu.err());
            assertTrue(menu.console().contains("Debian GNU/Linux, with Xen hypervisor"), menu.console());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
        "efi, xen",
        "pc, xen",
        "efi, linux",
        "pc, linux",
    })
    void bootsToTheLoginPrompt(String platform, String kind) {
        List<String> args = new ArrayList<>(List.of("boot", host.toString(), "--platform", platform,
                "--until", "login: ", "--timeout", "900"));
        if (kind.equals("linux")) {
            args.addAll(List.of("--entry", "Debian GNU/Linux"));
        }
        BootRun run = BootRun.of(args);
        run.assertReached("login: ");
        run.err().lines().filter(line -> line.startsWith("jgrub: matched")).forEach(line -> System.out.println(
                "DebianHostBootTest " + platform + " " + kind + ": " + line));
        if (kind.equals("xen")) {
            assertTrue(run.console().contains("(XEN) Xen version 4.17"), run.tail());
        } else {
            assertTrue(!run.console().contains("(XEN)"), "the Linux entry started Xen" + run.tail());
        }
        // dom0 or Linux mounted its root from the attached disk, found by the UUID update-grub wrote.
        assertTrue(run.console().contains("EXT4-fs (vda2): mounted filesystem"), run.tail());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
