package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jgrub.chainload.ChainloadProtocol;
import jgrub.chainload.EfiChainloader;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiVariableStore;
import jgrub.esp.EspImage;
import jgrub.machine.Machine;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;
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
        Prerequisites.program("qemu-system-x86_64");
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Path disk = TestDisks.make(dir, "chain");
        byte[] xenEfi = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (EspImage image = EspImage.open(disk)) {
            ChainloadProtocol protocol = new ChainloadProtocol(EfiChainloader.of(xenEfi, "/EFI/xen/xen.efi",
                    List.of()), image, image.partition(null), new EfiBoot.Options(new EfiVariableStore(),
                    Optional.of(trace::add)));
            MachineOptions options = MachineOptions.defaults()
                    .withUntil(Pattern.compile(Pattern.quote(marker)))
                    .withTimeout(Duration.ofSeconds(240))
                    .withConsole(new PrintStream(console, true));
            RunResult result = new Machine(options).boot(protocol);
            String out = console.toString();
            Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "jgrub-efi-chain.log"), out
                    + "\n---- EFI trace ----\n" + String.join("\n", trace) + "\n---- " + result.message());
            assertTrue(result.success(), result.message() + "\n" + String.join("\n", result.lastLines())
                    + "\n-- last EFI calls --\n" + String.join("\n", trace.subList(Math.max(0, trace.size() - 30),
                    trace.size())));
            assertTrue(out.contains("EFI RAM map"), "Xen booted through EFI");
        }
    }
}
