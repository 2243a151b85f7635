package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Linux 6.1 through its own EFI stub in jgrub's EFI environment ({@code --platform efi}), four ways, each to
 * the marker the busybox initramfs prints on the first UART: GRUB's {@code linux}/{@code initrd} (the initrd served by
 * jgrub through LoadFile2, as GRUB 2.12 serves it), the stub chainloaded with {@code initrd=} on its command line (the
 * stub reads the file through the Simple File System of its own device), and systemd-boot booting a BootLoaderSpec
 * Type #1 entry (it loads and starts the stub with LoadImage and StartImage and serves the initrd through a LoadFile2
 * of its own), and rEFInd in text mode booting a manual stanza from its menu when its timeout runs out (it passes the
 * initrd as {@code initrd=}, which the stub reads from rEFInd's volume).
 */
class LinuxEfiBootTest {

    static final String SYSTEMD_BOOT = "/usr/lib/systemd/boot/efi/systemd-bootx64.efi";
    static final String REFIND = "/usr/share/refind/refind/refind_x64.efi";
    /** The range the kernel reports for its initrd, page-aligned: "RAMDISK: [mem 0x7f65a000-0x7f755fff]". */
    static final Pattern RAMDISK = Pattern.compile("RAMDISK: \\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\\]");

    @TempDir
    Path temp;

    private BootRun boot(String kind) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        for (String tool : List.of("sfdisk", "mkfs.fat", "mcopy", "mmd")) {
            Prerequisites.program(tool);
        }
        Prerequisites.payload("vmlinuz");
        Path disk = TestDisks.make(temp, kind);
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--until",
                Pattern.quote(marker()), "--timeout", "240"));
        run.assertReached(marker());
        assertTrue(run.console().contains("efi: EFI v2.70 by jgrub"), "the kernel ran on jgrub's EFI" + run.tail());
        return run;
    }

    private static String marker() throws Exception {
        return Files.readString(Prerequisites.payload("marker")).strip();
    }

    /** The kernel's own line for the command line it received, or every line that mentions one. */
    private static void assertCommandLine(BootRun run, String expected) {
        assertTrue(run.console().contains("Command line: " + expected + "\n"), "the kernel's command-line lines: "
                + run.console().lines().filter(l -> l.contains("ommand line")).toList() + run.tail());
    }

    @Test
    void grubLinuxCommand_onEfi_startsTheStub_andServesTheInitrdThroughLoadFile2() throws Exception {
        BootRun run = boot("linux");
        assertCommandLine(run, "BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 ro console=ttyS0,115200n8");
        assertTrue(run.console().contains("EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path"),
                run.tail());
        // The stub placed exactly the bytes LoadFile2 gave: the initrd file, in pages.
        Matcher ramdisk = RAMDISK.matcher(run.console());
        assertTrue(ramdisk.find(), run.tail());
        long length = Long.parseLong(ramdisk.group(2), 16) + 1 - Long.parseLong(ramdisk.group(1), 16);
        long size = Files.size(Prerequisites.payload("initrd.img"));
        assertEquals((size + 0xfff) & ~0xfffL, length, ramdisk.group());
    }

    @Test
    void chainloadedStub_readsTheInitrdNamedOnItsCommandLine_throughItsDevicesFileSystem() throws Exception {
        BootRun run = boot("stub");
        // chainloader's load options: the image's name, then every word (jgrub's choice, as the UEFI Shell's).
        assertCommandLine(run, "vmlinuz initrd=/boot/initrd.img root=/dev/ram0 ro console=ttyS0,115200n8");
        assertTrue(run.console().contains("EFI stub: Loaded initrd from command line option"), run.tail());
    }

    @Test
    void systemdBoot_bootsItsType1Entry_throughLoadImageStartImage_andItsOwnLoadFile2() throws Exception {
        if (!Files.isRegularFile(Path.of(SYSTEMD_BOOT))) {
            Prerequisites.missing(SYSTEMD_BOOT + " (Debian package systemd-boot-efi)");
        }
        BootRun run = boot("systemd-boot");
        // systemd-boot 252 puts initrd= before the entry's options and serves the initrd itself.
        assertCommandLine(run, "initrd=\\boot\\initrd.img root=/dev/ram0 ro console=ttyS0,115200n8");
        assertTrue(run.console().contains("EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path"),
                run.tail());
    }

    @Test
    void refind_showsItsTextMenu_andBootsItsDefaultStanza_whenTheTimeoutRunsOut() throws Exception {
        if (!Files.isRegularFile(Path.of(REFIND))) {
            Prerequisites.missing(REFIND + " (Debian package refind)");
        }
        BootRun run = boot("refind");
        // rEFInd's text-mode screen through jgrub's Simple Text Output, its countdown on jgrub's timer events.
        String console = run.console();
        int at = -1;
        for (String shown : List.of("rEFInd - Main Menu", "Boot Debian GNU/Linux from JGRUB-ESP",
                "Automatic boot in 1 seconds", "Automatic boot in 0 seconds", "rEFInd - Booting OS")) {
            int next = console.indexOf(shown, at + 1);
            assertTrue(next > at, "'" + shown + "' after what rEFInd showed before it" + run.tail());
            at = next;
        }
        // rEFInd 0.13.2 appends initrd= to the stanza's options; the stub reads it from rEFInd's device.
        assertCommandLine(run, "root=/dev/ram0 ro console=ttyS0,115200n8 initrd=\\boot\\initrd.img");
        assertTrue(console.contains("EFI stub: Loaded initrd from command line option"), run.tail());
    }
}
