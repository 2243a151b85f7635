package jgrub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real pseudo-terminal for screen tests: a private tmux server (its own socket) with one window of a fixed size
 * running a command; keys go in with {@code send-keys}, the screen comes out as text with {@code capture-pane}.
 */
public final class Tmux implements AutoCloseable {

    private final Path tmux;
    private final String socket = "jgrub-test-" + UUID.randomUUID();

    private Tmux(Path tmux) {
        this.tmux = tmux;
    }

    /**
     * Starts {@code command} (a shell command line) in a {@code width} x {@code height} window, UTF-8; the pane
     * stays after the command ends so that what it printed last can be read.
     */
    public static Tmux start(int width, int height, String command) throws IOException {
        Tmux t = new Tmux(Prerequisites.program("tmux"));
        t.tmux("-u", "new-session", "-d", "-x", Integer.toString(width), "-y", Integer.toString(height),
                "env LANG=C.UTF-8 LC_ALL=C.UTF-8 " + command + "; echo EXIT=$?; sleep 600");
        return t;
    }

    /**
     * A shell command line that runs {@code mainClass} with {@code args} in a new JVM like this one (same java, same
     * class path), each word single-quoted.
     */
    public static String java(String mainClass, String... args) {
        StringBuilder command = new StringBuilder(quote(ProcessHandle.current().info().command().orElse("java")))
                .append(" -cp ").append(quote(System.getProperty("java.class.path"))).append(' ').append(mainClass);
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        return command.toString();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** tmux key names ({@code Down}, {@code Enter}, {@code Escape}, {@code C-x}) or literal text. */
    public void send(String... keys) throws IOException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Literal text, not interpreted as key names. */
    public void type(String text) throws IOException {
        tmux("send-keys", "-t", "0", "-l", text);
    }

    /** The visible screen, one line per row, trailing blanks removed. */
    public String screen() throws IOException {
        return tmux("capture-pane", "-p", "-t", "0");
    }

    /** Waits until the screen contains {@code text} and returns it; fails with the last screen after 20 s. */
    public String waitFor(String text) throws IOException {
        return waitFor(text, 20);
    }

    /** Waits up to {@code seconds} until the screen contains {@code text} and returns it. */
    public String waitFor(String text, int seconds) throws IOException {
        return waitUntil(s -> s.contains(text), "showed \"" + text + "\"", seconds);
    }

    /** Waits until the screen no longer contains {@code text}. */
    public String waitWithout(String text) throws IOException {
        return waitUntil(s -> !s.contains(text), "lost \"" + text + "\"", 20);
    }

    private String waitUntil(java.util.function.Predicate<String> done, String what, int seconds)
            throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String screen = screen();
        while (!done.test(screen)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("screen never " + what + " in " + seconds + " s; last screen:\n" + screen);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            screen = screen();
        }
        return screen;
    }

    private String tmux(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            p.destroy();
        }
    }

    @Override
    public void close() throws IOException {
        tmux("kill-server");
    }
}
