package jgrub.machine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jgrub.json.Json;

/**
 * The QEMU process of one run and its monitor: finding QEMU, starting it so that it dies with jgrub, keeping the last
 * lines of its stderr for messages, the QMP connection (why the guest stopped, the CPU's registers for errors), and
 * ending it. Its exit and the monitor's SHUTDOWN go to the run loop as events.
 */
final class QemuProcess {

    private static final int KEPT_STDERR_LINES = 10;

    private final Consumer<RunEvent> events;
    private final HelperThreads threads;
    private final Deque<String> stderr = new ArrayDeque<>();
    /** Completed once QMP is negotiated: only then are events such as SHUTDOWN delivered to jgrub. */
    private final CompletableFuture<Qmp> monitorReady = new CompletableFuture<>();
    private volatile Qmp qmp;
    private List<String> command;
    private Path log;
    private volatile Process process;
    /** Set by the first {@link #stop}: a QEMU not started by then never is (a signal came while it was made). */
    private boolean stopping;
    private long started;

    QemuProcess(Consumer<RunEvent> events, HelperThreads threads) {
        this.events = events;
        this.threads = threads;
    }

    static Path find(String qemu) throws MachineException {
        if (qemu.contains("/")) {
            Path path = Paths.get(qemu);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new MachineException("QEMU not found: " + qemu + " is not an executable file");
            }
            return path;
        }
        return onPath(qemu).orElseThrow(() -> new MachineException("QEMU not found: '" + qemu
                + "' is not on the PATH (Debian package qemu-system-x86, or give --qemu PATH)"));
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Paths.get(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * util-linux's {@code setpriv --pdeathsig KILL} makes the kernel kill QEMU when the thread that started it dies,
     * which covers the JVM being killed outright, where no shutdown hook runs.
     */
    private static List<String> processWrapper() {
        return onPath("setpriv").map(p -> List.of(p.toString(), "--pdeathsig", "KILL", "--")).orElse(List.of());
    }

    /** Makes the command line (see {@link QemuCommand}); QEMU writes its own log to {@code log}. */
    void prepare(MachineOptions options, Path qemu, Path ramFile, Path rom, Path console, Path doorbell, Path monitor,
            Path log) {
        this.log = log;
        command = new ArrayList<>(processWrapper());
        command.addAll(QemuCommand.build(options, qemu, ramFile, rom, console, doorbell, monitor, log));
    }

    boolean prepared() {
        return command != null;
    }

    boolean started() {
        return process != null;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** When QEMU was started, as a {@link System#nanoTime} value. */
    long startedAt() {
        return started;
    }

    /** Negotiates QMP once QEMU connects to {@code server}, on a helper thread. */
    void acceptMonitor(ServerSocketChannel server) {
        threads.start("jgrub-qmp-accept", () -> {
            SocketChannel channel = server.accept();
            qmp = Qmp.start(channel, this::monitorEvent);
            monitorReady.complete(qmp);
        });
    }

    /** Waits until the monitor is negotiated, so that a SHUTDOWN from now on reaches jgrub. */
    void awaitMonitor(long seconds) throws InterruptedException, ExecutionException, TimeoutException {
        monitorReady.get(seconds, TimeUnit.SECONDS);
    }

    private void monitorEvent(Map<String, Object> event) {
        if ("SHUTDOWN".equals(event.get("event")) && event.get("data") instanceof Map<?, ?> data) {
            events.accept(new RunEvent.Shutdown(String.valueOf(data.get("reason"))));
        }
    }

    void start() throws MachineException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        synchronized (this) {
            if (stopping) {
                throw new MachineException("the run was ended before QEMU started");
            }
            started = System.nanoTime();
            process = spawn(builder);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // QEMU does not read its stdin.
        }
        threads.start("jgrub-qemu-stderr", () -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.addLast(line);
                        if (stderr.size() > KEPT_STDERR_LINES) {
                            stderr.removeFirst();
                        }
                    }
                }
            }
        });
        process.onExit().thenAccept(p -> events.accept(new RunEvent.Exited(p.exitValue())));
    }

    /**
     * Starts QEMU from a thread that lives as long as QEMU does: {@code setpriv --pdeathsig} ties QEMU's life to the
     * thread that started it, not to the JVM, and the caller's thread may end first (boot starts the machine on a
     * thread of its own while the config is read). The thread is a daemon, so QEMU still dies with the JVM.
     */
    private Process spawn(ProcessBuilder builder) throws MachineException {
        CompletableFuture<Process> spawned = new CompletableFuture<>();
        Thread parent = new Thread(() -> {
            Process p;
            try {
                p = builder.start();
            } catch (IOException | RuntimeException e) {
                spawned.completeExceptionally(e);
                return;
            }
            spawned.complete(p);
            while (p.isAlive()) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    // Only QEMU's end ends this thread.
                }
            }
        }, "jgrub-qemu-parent");
        parent.setDaemon(true);
        parent.start();
        try {
            return spawned.get();
        } catch (ExecutionException e) {
            throw new MachineException("cannot start QEMU (" + command.get(0) + "): " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MachineException("interrupted while starting QEMU");
        }
    }

    /** The last lines QEMU wrote to stderr, after {@code prefix}, or nothing when it wrote none. */
    String lastStderr(String prefix) {
        synchronized (stderr) {
            return stderr.isEmpty() ? "" : prefix + String.join(" | ", stderr).strip();
        }
    }

    boolean saidNothing() {
        synchronized (stderr) {
            return stderr.isEmpty();
        }
    }

    /** Whether QEMU's own log reports a triple fault before the reset. */
    boolean tripleFault() {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.startsWith("Triple fault"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** ", CPU 0 at EIP=..., halted" from the monitor, or nothing when it cannot be had. */
    String cpuState() {
        Qmp monitor = qmp;
        if (monitor == null || !isAlive()) {
            return "";
        }
        try {
            return CpuState.summary(monitor.human("info registers"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Has QEMU write its display to {@code ppm} as a binary PPM (QMP screendump). */
    void screendump(Path ppm) throws IOException {
        Qmp monitor = qmp;
        if (monitor == null || !isAlive()) {
            throw new IOException("QEMU is not running");
        }
        monitor.execute("screendump", "{\"filename\":" + Json.quote(ppm.toString()) + "}", 10_000);
    }

    /** Ends QEMU: politely through the monitor, then SIGTERM, then SIGKILL. Safe to call more than once. */
    void stop() {
        Process p;
        synchronized (this) {
            stopping = true;
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        Qmp monitor = qmp;
        if (monitor != null) {
            try {
                monitor.execute("quit", null, 1000);
            } catch (IOException e) {
                // Gone already, or unresponsive: the signals below see to it.
            }
        }
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(1, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends QEMU at once (SIGKILL), for a jgrub that is itself ending on a signal: nothing of the guest is kept, and
     * SIGINT and SIGTERM must end jgrub within a second, however busy the machine is.
     */
    void kill() {
        Process p;
        synchronized (this) {
            stopping = true;
            p = process;
        }
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeMonitor() {
        RunFiles.closeQuietly(qmp);
    }
}
