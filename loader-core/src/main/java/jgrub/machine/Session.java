package jgrub.machine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.machine.RunResult.Ending;

/**
 * One run of the machine: the files, sockets, threads and QEMU process it needs, the loop that waits for the run to
 * end, and the clean-up that leaves nothing behind. The calling thread starts QEMU and owns the loop; helper threads
 * read the console, the doorbell, the monitor and QEMU's stderr and report to the loop through {@link #events}.
 */
final class Session implements AutoCloseable {

    /** SeaBIOS reaches the ROM in well under a second under TCG; this much silence means it never will. */
    private static final Duration FIRMWARE_WAIT = Duration.ofSeconds(30);
    private static final Pattern RAM_FILE = Pattern.compile("jgrub-(\\d+)-\\d+\\.ram");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final int KEPT_STDERR_LINES = 10;
    private static final int MONITOR_WAIT_SECONDS = 10;

    private sealed interface Event {
    }

    private record Matched(String line) implements Event {
    }

    private record FirmwareReported(long nanos) implements Event {
    }

    private record HandedOff(long nanos) implements Event {
    }

    private record Refused(BootException cause) implements Event {
    }

    private record Failed(MachineException cause) implements Event {
    }

    private record Shutdown(String reason) implements Event {
    }

    private record Exited(int status) implements Event {
    }

    private record GuestEnded(Guest.Ending ending) implements Event {
    }

    private record InputEnded() implements Event {
    }

    private final MachineOptions options;
    /** What to boot: given when the run starts, or later while the firmware boots (see {@link Machine#start}). */
    private final CompletableFuture<BootProtocol> protocol = new CompletableFuture<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Integer, Guest.Doorbell> doorbells = new ConcurrentHashMap<>();

    private Path runDirectory;
    private Path ramFile;
    private FileChannel ram;
    private GuestMemory memory;
    private Mailbox mailbox;
    private OutputStream log;
    private Console console;
    private Thread consoleThread;
    private List<String> command;
    private volatile InputStream keyboard;
    private Process process;
    private Thread shutdownHook;
    private volatile Qmp qmp;
    /** Completed once QMP is negotiated: only then are events such as SHUTDOWN delivered to jgrub. */
    private final CompletableFuture<Qmp> monitorReady = new CompletableFuture<>();
    private volatile boolean handedOff;
    private long started;
    private OptionalLong firmwareReportedAt = OptionalLong.empty();
    private OptionalLong handedOffAt = OptionalLong.empty();

    Session(MachineOptions options) {
        this.options = options;
    }

    /**
     * Everything QEMU needs but the process itself: finds QEMU, makes the guest RAM file and the option ROM, and
     * listens on the console, doorbell and monitor sockets. Nothing of the guest runs yet.
     */
    void prepare() throws MachineException {
        Path qemu = findQemu(options.qemu());
        // Interrupted from here on (Ctrl-c in the menu, SIGTERM), the JVM still ends QEMU and removes the files.
        shutdownHook = new Thread(() -> {
            stopQemu();
            removeFiles();
        }, "jgrub-stop-qemu");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        createRam();
        Path consoleSocket = listen("console.sock");
        Path doorbellSocket = listen("doorbell.sock");
        Path monitorSocket = listen("qmp.sock");
        command = new ArrayList<>(processWrapper());
        command.addAll(QemuCommand.build(options, qemu, ramFile, writeRom(), consoleSocket, doorbellSocket,
                monitorSocket, runDirectory.resolve("qemu.log")));
    }

    /**
     * The person's keystrokes for the guest's console, when they are known only after {@link #prepare} (the menu
     * had the terminal until then); before {@link #launch}. Their end ends the run.
     */
    void attachKeyboard(InputStream keys) {
        if (process != null) {
            throw new IllegalStateException("QEMU is already running");
        }
        keyboard = keys;
    }

    /** Starts QEMU; the option ROM then waits at the doorbell until {@link #boot} names what to boot. */
    void launch() throws MachineException {
        if (command == null) {
            throw new IllegalStateException("not prepared");
        }
        startHelpers();
        start(command);
    }

    /** Hands {@code what} to the waiting option ROM and runs until the run ends. */
    RunResult boot(BootProtocol what) throws BootException, MachineException {
        if (!protocol.complete(what)) {
            throw new IllegalStateException("this run already boots something");
        }
        return loop();
    }

    // ---- preparation --------------------------------------------------------------------------------------------

    static Path findQemu(String qemu) throws MachineException {
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

    private void createRam() throws MachineException {
        try {
            runDirectory = Files.createTempDirectory("jgrub-run-");
            Path shm = Paths.get("/dev/shm");
            Path ramDirectory = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : runDirectory;
            removeStaleRamFiles(ramDirectory);
            ramFile = ramDirectory.resolve("jgrub-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet()
                    + ".ram");
            Files.createFile(ramFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (RandomAccessFile file = new RandomAccessFile(ramFile.toFile(), "rw")) {
                file.setLength(options.memoryBytes());
            }
            ram = FileChannel.open(ramFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            memory = GuestMemory.map(ram, options.memoryBytes());
            mailbox = new Mailbox(memory);
            if (options.consoleLog().isPresent()) {
                log = Files.newOutputStream(options.consoleLog().get());
            }
        } catch (IOException e) {
            throw new MachineException("cannot set up guest RAM (" + options.memoryBytes() / (1 << 20) + " MiB) in "
                    + (ramFile != null ? ramFile : "a temporary file") + ": " + e.getMessage(), e);
        }
    }

    /** RAM files of jgrub processes that died without cleaning up (killed outright, for instance). */
    private static void removeStaleRamFiles(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "jgrub-*.ram")) {
            for (Path file : files) {
                Matcher m = RAM_FILE.matcher(file.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Someone else's file or a race with its owner: leave it.
        }
    }

    private Path writeRom() throws MachineException {
        Path rom = runDirectory.resolve("jgrub.rom");
        try {
            Files.write(rom, OptionRom.image());
        } catch (IOException e) {
            throw new MachineException("cannot write the option ROM to " + rom + ": " + e.getMessage(), e);
        }
        return rom;
    }

    private Path listen(String name) throws MachineException {
        Path path = runDirectory.resolve(name);
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            servers.add(server);
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new MachineException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        return path;
    }

    private void startHelpers() {
        console = new Console(options.console(), log, options.until(), line -> events.add(new Matched(line)));
        consoleThread = helper("jgrub-console", () -> {
            try (SocketChannel channel = servers.get(0).accept()) {
                InputStream keys = keyboard;
                if (keys != null) {
                    Thread typing = new Thread(() -> type(channel, keys), "jgrub-console-input");
                    typing.setDaemon(true);
                    typing.start();
                }
                console.pump(inputOf(channel));
            }
        });
        helper("jgrub-doorbell", () -> {
            try (SocketChannel channel = servers.get(1).accept(); InputStream in = inputOf(channel)) {
                int code;
                while ((code = in.read()) >= 0) {
                    serve(code);
                }
            }
        });
        helper("jgrub-qmp-accept", () -> {
            SocketChannel channel = servers.get(2).accept();
            qmp = Qmp.start(channel, this::monitorEvent);
            monitorReady.complete(qmp);
        });
    }

    /** Copies the person's keystrokes to the guest's UART; their end (Ctrl-a x) ends the run. */
    private void type(SocketChannel channel, InputStream keys) {
        byte[] buffer = new byte[256];
        try {
            int n;
            while ((n = keys.read(buffer)) >= 0) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            events.add(new InputEnded());
        } catch (IOException e) {
            // The console closed (QEMU ended) or the terminal went away: the loop learns the ending elsewhere.
        }
    }

    /**
     * A stream over a socket channel's reads. Not {@code Channels.newInputStream}: on JDK 17 its blocking read holds a
     * lock that {@code Channels.newOutputStream} on the same channel also takes, so a reader would block every writer.
     */
    static InputStream inputOf(SocketChannel channel) {
        return new InputStream() {
            private final ByteBuffer one = ByteBuffer.allocate(1);

            @Override
            public int read() throws IOException {
                one.clear();
                int n;
                do {
                    n = channel.read(one);
                } while (n == 0);
                return n < 0 ? -1 : Byte.toUnsignedInt(one.get(0));
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                int n;
                do {
                    n = channel.read(ByteBuffer.wrap(buffer, offset, length));
                } while (n == 0);
                return n;
            }
        };
    }

    private interface Work {
        void run() throws IOException;
    }

    private Thread helper(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (IOException e) {
                // The socket closed: QEMU ended or the run is being cleaned up; the loop learns that elsewhere.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
        return thread;
    }

    private void start(List<String> command) throws MachineException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        started = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new MachineException("cannot start QEMU (" + command.get(0) + "): " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // QEMU does not read its stdin.
        }
        helper("jgrub-qemu-stderr", () -> {
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
        process.onExit().thenAccept(p -> events.add(new Exited(p.exitValue())));
    }

    // ---- the guest's requests -----------------------------------------------------------------------------------

    /** What a boot protocol may use of the running guest: its RAM, the console, the doorbell. */
    private final Guest guest = new Guest() {
        @Override
        public GuestRam memory() {
            return memory;
        }

        @Override
        public void print(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                console.accept(bytes, bytes.length);
            } catch (IOException e) {
                // The user's terminal or the log went away; the run goes on.
            }
        }

        @Override
        public void onDoorbell(int code, Guest.Doorbell handler) {
            if (code == Mailbox.FIRMWARE_READY || code < 0 || code > 0xff) {
                throw new IllegalArgumentException("doorbell code " + code + " is not free");
            }
            doorbells.put(code, handler);
        }
    };

    /** Runs on the doorbell thread for each byte the guest rings with; ignores rings that carry no valid request. */
    private void serve(int code) {
        Guest.Doorbell handler = doorbells.get(code);
        if (handler != null && handedOff) {
            try {
                handler.ring().ifPresent(ending -> events.add(new GuestEnded(ending)));
            } catch (BootException e) {
                events.add(new Refused(e));
            } catch (RuntimeException e) {
                events.add(new Failed(new MachineException("internal error while serving the guest: " + e, e)));
            }
            return;
        }
        try {
            if (code != Mailbox.FIRMWARE_READY || handedOff || !mailbox.signed()
                    || mailbox.status() != Mailbox.PENDING || mailbox.request() != code) {
                return;
            }
            // QEMU has long mapped the RAM file when guest code runs: the name can go, and with it any chance of
            // leaving the file behind.
            Files.deleteIfExists(ramFile);
            Firmware firmware = FirmwareProbe.read(memory, mailbox);
            events.add(new FirmwareReported(System.nanoTime()));
            try {
                BootPlan plan = protocol.get().plan(firmware, guest);
                long[] reply = PlanWriter.write(plan, firmware, memory);
                // The guest may power off at once; QEMU reports that only on a negotiated monitor.
                monitorReady.get(MONITOR_WAIT_SECONDS, TimeUnit.SECONDS);
                handedOff = true;
                mailbox.complete(reply);
                events.add(new HandedOff(System.nanoTime()));
            } catch (BootException e) {
                mailbox.stop();
                events.add(new Refused(e));
            }
        } catch (GuestMemoryException | IOException e) {
            events.add(new Failed(new MachineException("cannot serve the option ROM's request: " + e.getMessage(),
                    e)));
        } catch (TimeoutException e) {
            events.add(new Failed(new MachineException("QEMU's monitor did not answer within "
                    + MONITOR_WAIT_SECONDS + " s")));
        } catch (InterruptedException | ExecutionException | CancellationException e) {
            // The run was closed before anything was given to boot.
        } catch (MachineException e) {
            events.add(new Failed(e));
        } catch (RuntimeException e) {
            events.add(new Failed(new MachineException("internal error while planning the boot: " + e, e)));
        }
    }

    private void monitorEvent(Map<String, Object> event) {
        if ("SHUTDOWN".equals(event.get("event")) && event.get("data") instanceof Map<?, ?> data) {
            events.add(new Shutdown(String.valueOf(data.get("reason"))));
        }
    }

    // ---- waiting for the end ------------------------------------------------------------------------------------

    private RunResult loop() throws BootException, MachineException {
        long firmwareDeadline = started + Math.min(FIRMWARE_WAIT.toNanos(),
                options.timeout().map(Duration::toNanos).orElse(Long.MAX_VALUE));
        long deadline = options.timeout().map(t -> started + t.toNanos()).orElse(Long.MAX_VALUE);
        boolean firmwareReported = false;
        while (true) {
            long until = firmwareReported ? deadline : Math.min(deadline, firmwareDeadline);
            long wait = until - System.nanoTime();
            Event event;
            try {
                event = wait <= 0 ? null : events.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MachineException("interrupted");
            }
            if (event == null) {
                if (!firmwareReported && until == firmwareDeadline && firmwareDeadline < deadline) {
                    String cpu = cpuState();
                    throw new MachineException("SeaBIOS did not start jgrub's option ROM within "
                            + seconds(FIRMWARE_WAIT.toNanos()) + " s" + cpu + lastStderr(": QEMU said: "));
                }
                String cpu = cpuState();
                return end(Ending.TIMED_OUT, false, "timed out after " + seconds(System.nanoTime() - started) + " s"
                        + options.until().map(p -> " without a console line matching /" + p + "/").orElse("") + cpu);
            }
            if (event instanceof Matched m) {
                return end(Ending.MATCHED, true, matchedMessage(m.line()));
            } else if (event instanceof FirmwareReported f) {
                firmwareReported = true;
                firmwareReportedAt = OptionalLong.of(f.nanos());
            } else if (event instanceof HandedOff h) {
                handedOffAt = OptionalLong.of(h.nanos());
            } else if (event instanceof Refused r) {
                stopQemu();
                throw r.cause();
            } else if (event instanceof Failed f) {
                stopQemu();
                throw f.cause();
            } else if (event instanceof InputEnded) {
                return end(Ending.USER_ENDED, options.until().isEmpty(), "ended from the console after "
                        + seconds(System.nanoTime() - started) + " s");
            } else if (event instanceof GuestEnded g) {
                return end(Ending.GUEST_ENDED, g.ending().success(), g.ending().message());
            } else if (event instanceof Shutdown s) {
                return shutdown(s.reason());
            } else if (event instanceof Exited x) {
                if (!firmwareReported) {
                    joinConsole();
                    throw new MachineException("QEMU exited with status " + x.status() + " before the firmware "
                            + "started" + lastStderr(": ") + (stderr.isEmpty() ? " (it printed nothing)" : ""));
                }
                return end(Ending.QEMU_EXITED, false, "QEMU exited with status " + x.status() + " after "
                        + seconds(System.nanoTime() - started) + " s" + lastStderr(": "));
            }
        }
    }

    private RunResult shutdown(String reason) {
        String after = " after " + seconds(System.nanoTime() - started) + " s";
        switch (reason) {
            case "guest-shutdown":
                return end(Ending.POWERED_OFF, options.until().isEmpty(), "guest powered off" + after
                        + options.until().map(p -> " without a console line matching /" + p + "/").orElse(""));
            case "guest-reset":
                String cpu = cpuState();
                if (tripleFault()) {
                    return end(Ending.TRIPLE_FAULT, false, "guest triple fault" + after + cpu);
                }
                return end(Ending.RESET, false, "guest reset the machine" + after + cpu);
            case "guest-panic":
                return end(Ending.PANIC, false, "guest panicked" + after + cpuState());
            default:
                return end(Ending.QEMU_EXITED, false, "QEMU stopped the guest (" + reason + ")" + after
                        + lastStderr(": "));
        }
    }

    private RunResult end(Ending ending, boolean success, String message) {
        long ended = System.nanoTime();
        stopQemu();
        joinConsole();
        Optional<String> matched = console.matched();
        if (matched.isPresent() && ending != Ending.MATCHED) {
            ending = Ending.MATCHED;
            success = true;
            message = matchedMessage(matched.get());
        }
        return new RunResult(ending, success, message, console.lastLines(),
                new RunResult.Timeline(started, firmwareReportedAt, handedOffAt, ended));
    }

    private String matchedMessage(String line) {
        return "console line matched /" + options.until().map(Pattern::pattern).orElse("") + "/ after "
                + seconds(System.nanoTime() - started) + " s: " + line.strip();
    }

    private boolean tripleFault() {
        try (Stream<String> lines = Files.lines(runDirectory.resolve("qemu.log"), StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.startsWith("Triple fault"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** ", CPU 0 at EIP=..., halted" from the monitor, or nothing when it cannot be had. */
    private String cpuState() {
        Qmp monitor = qmp;
        if (monitor == null || !process.isAlive()) {
            return "";
        }
        try {
            return CpuState.summary(monitor.human("info registers"));
        } catch (IOException e) {
            return "";
        }
    }

    private String lastStderr(String prefix) {
        synchronized (stderr) {
            return stderr.isEmpty() ? "" : prefix + String.join(" | ", stderr).strip();
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    // ---- clean-up -----------------------------------------------------------------------------------------------

    /** Ends QEMU: politely through the monitor, then SIGTERM, then SIGKILL. Safe to call more than once. */
    private void stopQemu() {
        Process p = process;
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

    /** Lets the console thread read what QEMU wrote before it ended. */
    private void joinConsole() {
        if (consoleThread == null) {
            return;
        }
        // A console that QEMU never connected to has nothing to read: stop waiting for the connection.
        closeQuietly(servers.get(0));
        try {
            consoleThread.join(process != null && process.isAlive() ? 100 : 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        protocol.cancel(false);
        stopQemu();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and runs the hook anyway.
            }
        }
        for (ServerSocketChannel server : servers) {
            closeQuietly(server);
        }
        if (qmp != null) {
            closeQuietly(qmp);
        }
        for (Thread thread : threads) {
            try {
                thread.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(ram);
        closeQuietly(log);
        removeFiles();
    }

    /** The RAM file and the run directory (ROM, sockets, QEMU's log). */
    private void removeFiles() {
        try {
            if (ramFile != null) {
                Files.deleteIfExists(ramFile);
            }
            if (runDirectory != null) {
                try (Stream<Path> walk = Files.walk(runDirectory)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        } catch (IOException e) {
            // A temporary file left behind is not worth failing the run for.
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Clean-up goes on.
        }
    }
}
