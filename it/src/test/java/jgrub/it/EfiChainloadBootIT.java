package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrub.chainload.ChainloadProtocol;
import jgrub.chainload.EfiChainloader;
import jgrub.esp.EspImage;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's xen.efi chainloaded in jgrub's own EFI environment (no OVMF) from a test ESP with xen.cfg, a Debian dom0
 * kernel and a busybox initramfs beside it, through to dom0's /init.
 */
class EfiChainloadBootIT {

    @Test
    void xenEfi_bootsThroughJgrubsEfi_toTheInitramfsMarker(@TempDir Path dir) throws Exception {
        GuestRun run = new GuestRun();
        Path disk = TestDisks.make(dir, "chain");
        byte[] xenEfi = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        try (EspImage image = EspImage.open(disk)) {
            run.bootToMarker("efi-chain", new ChainloadProtocol(EfiChainloader.of(xenEfi, "/EFI/xen/xen.efi",
                    List.of()), image, image.partition(null), run.efiOptions));
        }
        assertTrue(run.console.contains("Bootloader: EFI"), "Xen was started as an EFI application");
        assertTrue(run.console.contains("EFI RAM map"), "Xen booted through EFI");
        assertTrue(run.console.contains("Command line: console=com1 com1=115200,8n1 dom0_mem=512M"),
                "xen.cfg's options were read through Simple File System");
    }
}
