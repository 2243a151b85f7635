package jgrub.machine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The helper threads of a run: daemons that read a socket or a stream (console, doorbell, monitor, QEMU's stderr)
 * until it closes, and are joined when the run is closed. Started from the thread that runs the machine.
 */
final class HelperThreads {

    /** A helper's work; an {@link IOException} means its socket closed. */
    interface Work {
        void run() throws IOException;
    }

    private final List<Thread> threads = new ArrayList<>();

    Thread start(String name, Work work) {
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

    /** Waits up to {@code millis} for each helper to end. */
    void join(long millis) {
        for (Thread thread : threads) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
