package jgrub.machine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one run makes on the host, and the clean-up that leaves nothing of it: a private run directory (the option
 * ROM, the console, doorbell and monitor sockets, QEMU's log), the guest RAM file (in {@code /dev/shm} when it can be)
 * and its mapping, and the console log. A shutdown hook removes the files when the JVM is interrupted; RAM files of
 * jgrub processes that died without cleaning up are removed when a run makes its own.
 */
final class RunFiles implements AutoCloseable {

    private static final Pattern RAM_FILE = Pattern.compile("jgrub-(\\d+)-\\d+\\.ram");
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final MachineOptions options;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private Path runDirectory;
    private Path ramFile;
    private FileChannel ram;
    private GuestMemory memory;
    private OutputStream log;
    private Thread shutdownHook;
    /** Set once the files were removed: none is made after that (a signal came while the run was being made). */
    private boolean removed;

    RunFiles(MachineOptions options) {
        this.options = options;
    }

    /** Interrupted from now on (Ctrl-c, SIGTERM), the JVM runs {@code first} (ending QEMU), then removes the files. */
    void removeOnExit(Runnable first) {
        shutdownHook = new Thread(() -> {
            first.run();
            removeFiles();
        }, "jgrub-stop-qemu");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Makes the run directory and the guest RAM file, maps the RAM, and opens the console log if one is asked for. */
    synchronized void createRam() throws MachineException {
        if (removed) {
            throw new MachineException("the run was ended before its files were made");
        }
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

    Path ramFile() {
        return ramFile;
    }

    GuestMemory memory() {
        return memory;
    }

    /** The console log the user asked for, or null. */
    OutputStream log() {
        return log;
    }

    /** Where QEMU writes its own log (guest errors, resets). */
    Path qemuLog() {
        return runDirectory.resolve("qemu.log");
    }

    /**
     * QEMU has long mapped the RAM file when guest code runs: the name can go, and with it any chance of leaving the
     * file behind.
     */
    void unlinkRamFile() throws IOException {
        Files.deleteIfExists(ramFile);
    }

    /** Writes the option ROM into the run directory. */
    Path writeRom() throws MachineException {
        Path rom = runDirectory.resolve("jgrub.rom");
        try {
            Files.write(rom, OptionRom.image());
        } catch (IOException e) {
            throw new MachineException("cannot write the option ROM to " + rom + ": " + e.getMessage(), e);
        }
        return rom;
    }

    /** Listens on the UNIX socket {@code name} in the run directory, for QEMU to connect to. */
    ServerSocketChannel listen(String name) throws MachineException {
        Path path = socket(name);
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            servers.add(server);
            server.bind(UnixDomainSocketAddress.of(path));
            return server;
        } catch (IOException e) {
            throw new MachineException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
    }

    Path socket(String name) {
        return runDirectory.resolve(name);
    }

    /**
     * Stops listening, so that helpers waiting for QEMU to connect end, and takes the clean-up back from the shutdown
     * hook: {@link #close} does it from here on.
     */
    void closeSockets() {
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
    }

    /** Closes the RAM file and the console log and removes the files; the threads that used them are done. */
    @Override
    public void close() {
        closeQuietly(ram);
        closeQuietly(log);
        removeFiles();
    }

    /** The RAM file and the run directory (ROM, sockets, QEMU's log). */
    private synchronized void removeFiles() {
        removed = true;
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

    static void closeQuietly(AutoCloseable closeable) {
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
