package jgrub.machine;

import java.io.InputStream;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;

/**
 * One run of the machine, its parts in order: the files and sockets it makes ({@link RunFiles}), the QEMU process
 * ({@link QemuProcess}), the console ({@link ConsolePipe}) and the doorbell ({@link DoorbellServer}) served on helper
 * threads, and the loop that waits for the end ({@link RunLoop}). The calling thread prepares, starts QEMU and runs
 * the loop; the helpers report to it through {@link #events}. Closing leaves nothing behind.
 */
final class Session implements AutoCloseable {

    private static final String CONSOLE = "console";
    private static final String DOORBELL = "doorbell.sock";
    private static final String MONITOR = "qmp.sock";

    private final MachineOptions options;
    private final BlockingQueue<RunEvent> events = new LinkedBlockingQueue<>();
    private final HelperThreads threads = new HelperThreads();
    private final RunFiles files;
    private final QemuProcess qemu;
    private Console console;
    private ConsolePipe consolePipe;
    private DoorbellServer doorbell;
    private ServerSocketChannel doorbellServer;
    private ServerSocketChannel monitorServer;

    Session(MachineOptions options) {
        this.options = options;
        this.files = new RunFiles(options);
        this.qemu = new QemuProcess(events::add, threads);
    }

    /**
     * Everything QEMU needs but the process itself: finds QEMU, makes the guest RAM file and the option ROM, and
     * makes the console's pipes and listens on the doorbell and monitor sockets. Nothing of the guest runs yet.
     */
    void prepare() throws MachineException {
        Path qemuPath = QemuProcess.find(options.qemu());
        // Interrupted from here on (Ctrl-c in the menu, SIGTERM), the JVM still ends QEMU and removes the files.
        files.removeOnExit(qemu::kill);
        files.createRam();
        doorbellServer = files.listen(DOORBELL);
        monitorServer = files.listen(MONITOR);
        qemu.prepare(options, qemuPath, files.ramFile(), files.writeRom(), files.socket(CONSOLE),
                files.socket(DOORBELL), files.socket(MONITOR), files.qemuLog());
        console = new Console(options.console(), files.log(), options.until(),
                match -> events.add(new RunEvent.Matched(match)));
        consolePipe = ConsolePipe.create(files.socket(CONSOLE), console, events::add);
        doorbell = new DoorbellServer(files, console, qemu, events::add);
    }

    /**
     * The person's keystrokes for the guest's console, when they are known only after {@link #prepare} (the menu
     * had the terminal until then): before or after {@link #launch}. Their end ends the run.
     */
    void attachKeyboard(InputStream keys) {
        consolePipe.attachKeyboard(keys);
    }

    /** Starts QEMU; the option ROM then waits at the doorbell until {@link #boot} names what to boot. */
    void launch() throws MachineException {
        if (!qemu.prepared()) {
            throw new IllegalStateException("not prepared");
        }
        consolePipe.start(threads);
        doorbell.start(doorbellServer, threads);
        qemu.acceptMonitor(monitorServer);
        qemu.start();
    }

    /** Hands {@code what} to the waiting option ROM and runs until the run ends. */
    RunResult boot(BootProtocol what) throws BootException, MachineException {
        doorbell.boot(what);
        return new RunLoop(options, events, qemu, console, consolePipe).run();
    }

    @Override
    public void close() {
        if (doorbell != null) {
            doorbell.cancel();
        }
        qemu.stop();
        files.closeSockets();
        qemu.closeMonitor();
        threads.join(500);
        files.close();
    }
}
