package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/** QEMU never outlives jgrub, even when the JVM is killed outright (SIGKILL runs no shutdown hook). */
class ProcessLifetimeTest {

    /**
     * Boots a payload that hangs, with no timeout: only the death of this JVM ends it. With "prepared", only
     * prepares the machine (as jgrub boot does while a person uses the menu), says where, and waits.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("prepared")) {
            Path before = Paths.get(System.getProperty("java.io.tmpdir"));
            new Machine(MachineOptions.defaults().withQemu(args[0]).withMemory(64L << 20)).prepare();
            try (Stream<Path> runs = Files.list(before)) {
                runs.filter(p -> p.getFileName().toString().startsWith("jgrub-run-")).forEach(System.out::println);
            }
            System.out.println("prepared");
            System.out.flush();
            Thread.sleep(60_000);
            return;
        }
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

    @Test
    void interruptingAPreparedMachine_leavesNoFiles() throws Exception {
        String qemu = Prerequisites.program("qemu-system-x86_64").toString();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path tmp = Files.createTempDirectory("jgrub-lifetime-");
        Process jvm = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), ProcessLifetimeTest.class.getName(), qemu, "prepared")
                .redirectErrorStream(true).start();
        try {
            List<String> said = new BufferedReader(new InputStreamReader(jvm.getInputStream()))
                    .lines().takeWhile(l -> !l.equals("prepared")).toList();
            assertTrue(said.size() == 1 && said.get(0).startsWith(tmp.toString()), said.toString());
            assertTrue(Files.isDirectory(Paths.get(said.get(0))), said.toString());
            assertTrue(ramFiles(jvm.pid()).size() == 1, ramFiles(jvm.pid()).toString());
            jvm.destroy(); // SIGTERM, as Ctrl-c's SIGINT: the JVM runs its shutdown hooks
            assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
            assertFalse(Files.exists(Paths.get(said.get(0))), said.get(0) + " left behind");
            assertTrue(ramFiles(jvm.pid()).isEmpty(), ramFiles(jvm.pid()).toString());
        } finally {
            jvm.destroyForcibly();
            try (Stream<Path> left = Files.walk(tmp)) {
                left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Path> ramFiles(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Paths.get("/dev/shm"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("jgrub-" + pid + "-")).toList();
        }
    }
}
