package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/** QEMU never outlives jgrub, even when the JVM is killed outright (SIGKILL runs no shutdown hook). */
class ProcessLifetimeTest {

    /** Boots a payload that hangs, with no timeout: only the death of this JVM ends it. */
    public static void main(String[] args) throws Exception {
        new Machine(MachineOptions.defaults().withQemu(args[0]).withMemory(64L << 20)
                .withConsole(System.out)).boot(MachineTest.protected32(MachineTest.printAndHang("hanging\n")));
    }

    @Test
    void killingTheJvm_killsQemuAndLeavesNoRamFile() throws Exception {
        String qemu = Prerequisites.program("qemu-system-x86_64").toString();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ProcessLifetimeTest.class.getName(), qemu).redirectErrorStream(true).start();
        try {
            // The payload's line on the console means QEMU runs and the ROM has handed over.
            byte[] line = new byte[8];
            int read = jvm.getInputStream().readNBytes(line, 0, line.length);
            assertTrue(read == 8 && new String(line).equals("hanging\n"), new String(line, 0, read));
            Optional<ProcessHandle> child = jvm.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("qemu-system-x86_64")).orElse(false))
                    .findFirst();
            assertTrue(child.isPresent(), "no QEMU under the JVM");
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            child.get().onExit().get(10, TimeUnit.SECONDS);
            assertFalse(child.get().isAlive());
            try (Stream<Path> files = Files.list(Paths.get("/dev/shm"))) {
                List<Path> left = files.filter(p -> p.getFileName().toString().startsWith("jgrub-" + jvm.pid() + "-"))
                        .toList();
                assertTrue(left.isEmpty(), left.toString());
            }
        } finally {
            jvm.destroyForcibly();
        }
    }
}
