package jgrub.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jgrub.cli.Main;

/**
 * jgrub run as its own process, as a person runs it: its own JVM (the options {@code ./jgrub} gives), with a private
 * temporary folder, so that what the run leaves behind (its run folder, a QEMU whose command line names it, its RAM
 * file in /dev/shm) can be found, and signals can be sent to it.
 */
final class JgrubProcess implements AutoCloseable {

    private final Path tmp;
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();

    private JgrubProcess(Path tmp, Process process) {
        this.tmp = tmp;
        this.process = process;
        copy(process.getInputStream(), out, "stdout");
        copy(process.getErrorStream(), err, "stderr");
    }

    /** Starts {@code jgrub ARGS}, its temporary files in {@code tmp} (made if needed). */
    static JgrubProcess start(Path tmp, List<String> args) throws IOException {
        Files.createDirectories(tmp);
        // A shell starts background jobs with SIGINT ignored, and a JVM keeps an ignored SIGINT ignored; whoever ran
        // this test, jgrub gets SIGINT's default disposition, as when run from a terminal (coreutils' env).
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new JgrubProcess(tmp, new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start());
    }

    private static void copy(InputStream in, StringBuffer to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            int n;
            try (in) {
                while ((n = in.read(buffer)) >= 0) {
                    to.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "jgrub-process-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    long pid() {
        return process.pid();
    }

    /** Waits up to {@code seconds} for stdout to contain {@code text}; false if it did not or the process ended. */
    boolean awaitOut(String text, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            if (out.indexOf(text) >= 0) {
                return true;
            }
            if (!process.isAlive()) {
                return out.indexOf(text) >= 0;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Waits up to {@code seconds} for a QEMU process under jgrub's; false if none came or jgrub ended. */
    boolean awaitQemu(double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (process.descendants().anyMatch(p -> p.info().command().map(c -> c.contains("qemu-system"))
                    .orElse(false))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends {@code signal} ({@code INT}, {@code TERM}) to jgrub's JVM. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** jgrub's exit code, or null if it still runs after {@code seconds}. */
    Integer exitWithin(double seconds) throws InterruptedException {
        return process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /**
     * What the run left on the host: live processes whose command line names its temporary folder (QEMU is given
     * sockets there), run folders in it, RAM files of its pid in /dev/shm. Empty when it cleaned up.
     */
    List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(tmp.toString()) && c.contains("qemu"))
                        .orElse(false))
                .forEach(p -> left.add("process " + p.pid() + ": " + p.info().commandLine().orElse("")));
        try (Stream<Path> files = Files.list(tmp)) {
            files.filter(p -> p.getFileName().toString().startsWith("jgrub-")).forEach(p -> left.add(p.toString()));
        }
        Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm)) {
            try (Stream<Path> files = Files.list(shm)) {
                files.filter(p -> p.getFileName().toString().startsWith("jgrub-" + process.pid() + "-"))
                        .forEach(p -> left.add(p.toString()));
            }
        }
        return left;
    }

    /** For assertion messages. */
    String said() {
        String console = out();
        return "\n--- stderr:\n" + err() + "\n--- stdout tail:\n" + console.substring(Math.max(0, console.length()
                - 2000));
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
