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
import jgrub.boot.BootProtocol;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiVariableStore;
import jgrub.machine.Machine;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;
import jgrub.testing.Prerequisites;

/**
 * One boot of a protocol on the machine until dom0's /init prints its marker: the console, the EFI calls traced, and
 * a failure message with the last console lines and EFI calls when it does not get there. The whole console and
 * trace are kept in the temporary directory as {@code jgrub-NAME.log} for a person to read.
 */
final class GuestRun {

    final List<String> trace = Collections.synchronizedList(new ArrayList<>());
    final EfiBoot.Options efiOptions = new EfiBoot.Options(new EfiVariableStore(), Optional.of(trace::add));
    String console;
    RunResult result;

    static String marker() throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        return Files.readString(Prerequisites.payload("marker")).strip();
    }

    void bootToMarker(String name, BootProtocol protocol) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        result = new Machine(MachineOptions.defaults()
                .withUntil(Pattern.compile(Pattern.quote(marker())))
                .withTimeout(Duration.ofSeconds(240))
                .withConsole(new PrintStream(out, true))).boot(protocol);
        console = out.toString();
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "jgrub-" + name + ".log"), console
                + "\n---- EFI calls ----\n" + String.join("\n", trace) + "\n---- " + result.message());
        assertTrue(result.success(), result.message() + "\n" + String.join("\n", result.lastLines())
                + "\n-- last EFI calls --\n" + String.join("\n", trace.subList(Math.max(0, trace.size() - 30),
                trace.size())));
    }
}
