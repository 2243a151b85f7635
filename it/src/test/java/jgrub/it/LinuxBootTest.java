package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots Debian's Linux 6.1 kernel without Xen, through GRUB's {@code linux}/{@code initrd} (the 32-bit boot protocol)
 * and {@code linux16}/{@code initrd16} (the kernel's real-mode setup code) commands on the BIOS platform, from a disk
 * whose entry is written as Debian's 10_linux writes it, to the marker the busybox initramfs prints on the first UART.
 */
class LinuxBootTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"linux", "linux16"})
    void debianLinux_onPc_bootsToTheInitramfsMarker(String kind) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        for (String tool : List.of("sfdisk", "mkfs.fat", "mcopy", "mmd")) {
            Prerequisites.program(tool);
        }
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Prerequisites.payload("vmlinuz");
        Path disk = TestDisks.make(temp, kind);

        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "pc", "--until",
                Pattern.quote(marker), "--timeout", "240"));
        String console = run.console();
        String tail = run.tail();

        run.assertReached(marker);
        // GRUB's command line: BOOT_IMAGE= and the path as written, then the words after it.
        assertTrue(console.contains(
                "Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 ro console=ttyS0,115200n8\n"),
                "the kernel's command-line lines: " + console.lines().filter(l -> l.contains("ommand line")).toList()
                        + tail);
        // linux: the zero page's E820 table is SeaBIOS's map; linux16: the setup code asked SeaBIOS for it.
        assertTrue(console.contains("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable"), tail);
        // The initrd is where GRUB puts it, ending below 0x37ff0000.
        assertTrue(console.contains("RAMDISK: [mem 0x37"), tail);
    }
}
