package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrub.esp.EspImage;
import jgrub.multiboot.Module;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.multiboot.mb2.Multiboot2Efi;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's xen.gz through Multiboot 2 on the EFI platform: the 64-bit tag-9 entry with boot services running. */
class Multiboot2EfiBootIT {

    @Test
    void xenGz_entersAtTag9_callsBootServices_andReachesTheInitramfsMarker(@TempDir Path dir) throws Exception {
        GuestRun run = new GuestRun();
        Path disk = TestDisks.make(dir, "mb2");
        Multiboot2 kernel = Multiboot2.load("/boot/xen.gz", Files.readAllBytes(Prerequisites.payload("xen.gz")),
                List.of("placeholder", "console=com1", "com1=115200,8n1", "dom0_mem=512M", "no-real-mode",
                        "edd=off"), new Multiboot2.Platform.Efi(0, 0, 0))
                .withModule(Module.of("/boot/vmlinuz", Files.readAllBytes(Prerequisites.payload("vmlinuz")), false,
                        List.of("placeholder", "root=/dev/ram0", "ro", "console=hvc0", "quiet")))
                .withModule(Module.of("/boot/initrd.img", Files.readAllBytes(Prerequisites.payload("initrd.img")),
                        true, List.of()));
        try (EspImage image = EspImage.open(disk)) {
            run.bootToMarker("efi-mb2", new Multiboot2Efi(kernel, "/boot/xen.gz", image, image.partition(null),
                    run.efiOptions));
        }
        assertTrue(run.console.contains("EFI RAM map"), "Xen took the EFI path");
        assertTrue(run.console.contains("Command line: placeholder console=com1 com1=115200,8n1 dom0_mem=512M "
                + "no-real-mode edd=off"), "the command line as GRUB gives it on EFI");
        assertTrue(run.trace.stream().anyMatch(l -> l.contains("ExitBootServices(") && l.endsWith("EFI_SUCCESS")),
                "Xen exited boot services itself");
    }
}
