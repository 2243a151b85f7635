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
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiVariableStore;
import jgrub.esp.EspImage;
import jgrub.machine.Machine;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;
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
        Prerequisites.program("qemu-system-x86_64");
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Path disk = TestDisks.make(dir, "mb2");
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Multiboot2 kernel = Multiboot2.load("/boot/xen.gz", Files.readAllBytes(Prerequisites.payload("xen.gz")),
                List.of("placeholder", "console=com1", "com1=115200,8n1", "dom0_mem=512M", "no-real-mode",
                        "edd=off"), new Multiboot2.Platform.Efi(0, 0, 0))
                .withModule(Module.of("/boot/vmlinuz", Files.readAllBytes(Prerequisites.payload("vmlinuz")), false,
                        List.of("placeholder", "root=/dev/ram0", "ro", "console=hvc0", "quiet")))
                .withModule(Module.of("/boot/initrd.img", Files.readAllBytes(Prerequisites.payload("initrd.img")),
                        true, List.of()));
        try (EspImage image = EspImage.open(disk)) {
            Multiboot2Efi protocol = new Multiboot2Efi(kernel, "/boot/xen.gz", image, image.partition(null),
                    new EfiBoot.Options(new EfiVariableStore(), Optional.of(trace::add)));
            RunResult result = new Machine(MachineOptions.defaults()
                    .withUntil(Pattern.compile(Pattern.quote(marker)))
                    .withTimeout(Duration.ofSeconds(240))
                    .withConsole(new PrintStream(console, true))).boot(protocol);
            String out = console.toString();
            Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "jgrub-efi-mb2.log"), out
                    + "\n---- EFI trace ----\n" + String.join("\n", trace) + "\n---- " + result.message());
            assertTrue(result.success(), result.message() + "\n" + String.join("\n", result.lastLines())
                    + "\n-- last EFI calls --\n" + String.join("\n", trace.subList(Math.max(0, trace.size() - 30),
                    trace.size())));
            assertTrue(out.contains("EFI RAM map"), "Xen took the EFI path");
            assertTrue(out.contains("Command line: placeholder console=com1 com1=115200,8n1 dom0_mem=512M "
                    + "no-real-mode edd=off"), "the command line as GRUB gives it on EFI");
            assertTrue(trace.stream().anyMatch(l -> l.contains("ExitBootServices(") && l.endsWith("EFI_SUCCESS")),
                    "Xen exited boot services itself");
        }
    }
}
