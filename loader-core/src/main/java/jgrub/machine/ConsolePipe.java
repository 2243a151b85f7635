package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The pipes QEMU connects the guest's first UART to ({@code -chardev pipe,path=BASE}: QEMU opens {@code BASE.out}
 * and {@code BASE.in}): what the guest writes goes to the {@link Console}, and the person's keystrokes, when there
 * are any, go to the guest; their end ends the run.
 *
 * <p>Pipes, not a UNIX socket: QEMU's UART hands its bytes to the chardev one at a time, and a UNIX stream socket
 * charges each one-byte write a whole socket buffer (several hundred bytes) against the sender's limit, so a reader
 * a few milliseconds late filled it after a few hundred bytes; QEMU's UART then gave up on the byte, and a burst such
 * as Linux replaying its log when its console starts lost characters (seen: a digit of the {@code RAMDISK:} line). A
 * pipe holds 64 KiB of bytes.
 */
final class ConsolePipe {

    private final Path fromGuest;
    private final Path toGuest;
    private final Console console;
    private final Consumer<RunEvent> events;
    private InputStream keyboard;
    private boolean opened;
    private boolean typing;
    private Thread thread;

    private ConsolePipe(Path base, Console console, Consumer<RunEvent> events) {
        this.fromGuest = Path.of(base + ".out");
        this.toGuest = Path.of(base + ".in");
        this.console = console;
        this.events = events;
    }

    /** Makes the two pipes {@code BASE.out} and {@code BASE.in}, readable and writable by this user only. */
    static ConsolePipe create(Path base, Console console, Consumer<RunEvent> events) throws MachineException {
        ConsolePipe pipe = new ConsolePipe(base, console, events);
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", pipe.fromGuest.toString(),
                    pipe.toGuest.toString()).redirectErrorStream(true).start();
            String said = new String(mkfifo.getInputStream().readAllBytes()).strip();
            if (mkfifo.waitFor() != 0) {
                throw new MachineException("cannot make the console's pipes " + base + ".{out,in}: " + said);
            }
        } catch (IOException e) {
            throw new MachineException("cannot make the console's pipes with mkfifo: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MachineException("interrupted while making the console's pipes");
        }
        return pipe;
    }

    /** Keys for the guest, given before or after QEMU opens the pipes. */
    synchronized void attachKeyboard(InputStream keys) {
        if (keyboard != null) {
            throw new IllegalStateException("a keyboard is attached already");
        }
        keyboard = keys;
        startTyping();
    }

    /** Once both the keys and QEMU's pipes are there, copies the one to the other on a thread of its own. */
    private synchronized void startTyping() {
        if (typing || keyboard == null || !opened) {
            return;
        }
        typing = true;
        InputStream keys = keyboard;
        Thread typist = new Thread(() -> type(keys), "jgrub-console-input");
        typist.setDaemon(true);
        typist.start();
    }

    /** Serves the console on a helper thread once QEMU opens its end (opening a pipe to read waits for a writer). */
    void start(HelperThreads threads) {
        thread = threads.start("jgrub-console", () -> {
            try (InputStream in = Files.newInputStream(fromGuest)) {
                synchronized (this) {
                    opened = true;
                    startTyping();
                }
                console.pump(in);
            }
        });
    }

    /** Copies the person's keystrokes to the guest's UART; their end (Ctrl-a x) ends the run. */
    private void type(InputStream keys) {
        byte[] buffer = new byte[256];
        try (OutputStream to = Files.newOutputStream(toGuest)) {
            int n;
            while ((n = keys.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
            events.accept(new RunEvent.InputEnded());
        } catch (IOException e) {
            // QEMU ended (the pipe has no reader) or the terminal went away: the loop learns the ending elsewhere.
        }
    }

    /**
     * Lets the console thread read what QEMU wrote before it ended, briefly when QEMU still runs. A thread still
     * waiting for QEMU to open the pipe is let go: opening it read-write and closing it again ends its wait, and it
     * reads the end of a pipe that has no writer.
     */
    void drain(BooleanSupplier qemuAlive) {
        if (thread == null) {
            return;
        }
        boolean waiting;
        synchronized (this) {
            waiting = !opened;
        }
        if (waiting && !qemuAlive.getAsBoolean()) {
            try (RandomAccessFile release = new RandomAccessFile(fromGuest.toFile(), "rw")) {
                // Opened and closed: a writer came and went.
            } catch (IOException e) {
                // The run directory is gone: so is the thread's reason to wait.
            }
        }
        try {
            thread.join(qemuAlive.getAsBoolean() ? 100 : 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
