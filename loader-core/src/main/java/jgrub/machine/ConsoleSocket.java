package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The socket QEMU connects the guest's first UART to: what the guest writes goes to the {@link Console}, and the
 * person's keystrokes, when there are any, go to the guest; their end ends the run.
 */
final class ConsoleSocket {

    private final ServerSocketChannel server;
    private final Console console;
    private final Consumer<RunEvent> events;
    private InputStream keyboard;
    private SocketChannel channel;
    private boolean typing;
    private Thread thread;

    ConsoleSocket(ServerSocketChannel server, Console console, Consumer<RunEvent> events) {
        this.server = server;
        this.console = console;
        this.events = events;
    }

    /** Keys for the guest, given before or after QEMU connects. */
    synchronized void attachKeyboard(InputStream keys) {
        if (keyboard != null) {
            throw new IllegalStateException("a keyboard is attached already");
        }
        keyboard = keys;
        startTyping();
    }

    /** Once both the keys and QEMU's connection are there, copies the one to the other on a thread of its own. */
    private synchronized void startTyping() {
        if (typing || keyboard == null || channel == null) {
            return;
        }
        typing = true;
        SocketChannel to = channel;
        InputStream keys = keyboard;
        Thread typist = new Thread(() -> type(to, keys), "jgrub-console-input");
        typist.setDaemon(true);
        typist.start();
    }

    /** Serves the console on a helper thread once QEMU connects. */
    void start(HelperThreads threads) {
        thread = threads.start("jgrub-console", () -> {
            try (SocketChannel connected = server.accept()) {
                synchronized (this) {
                    channel = connected;
                    startTyping();
                }
                console.pump(new SocketInput(connected));
            }
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
            events.accept(new RunEvent.InputEnded());
        } catch (IOException e) {
            // The console closed (QEMU ended) or the terminal went away: the loop learns the ending elsewhere.
        }
    }

    /** Lets the console thread read what QEMU wrote before it ended; briefly when QEMU still runs. */
    void drain(BooleanSupplier qemuAlive) {
        if (thread == null) {
            return;
        }
        // A console that QEMU never connected to has nothing to read: stop waiting for the connection.
        RunFiles.closeQuietly(server);
        try {
            thread.join(qemuAlive.getAsBoolean() ? 100 : 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
