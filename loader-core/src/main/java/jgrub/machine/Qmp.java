package jgrub.machine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jgrub.json.Json;

/**
 * A QEMU Machine Protocol client (QEMU docs/interop/qmp-spec): one command at a time, events handed to a listener.
 * jgrub uses it to learn why the guest stopped (SHUTDOWN and its reason), to read the CPU's registers for error
 * messages, and to end QEMU cleanly.
 */
final class Qmp implements AutoCloseable {

    private final SocketChannel channel;
    private final BufferedReader in;
    private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Session.inputOf(channel), StandardCharsets.UTF_8));
    }

    /** Reads the greeting, negotiates capabilities and starts passing events to {@code events}. */
    static Qmp start(SocketChannel channel, Consumer<Map<String, Object>> events) throws IOException {
        Qmp qmp = new Qmp(channel);
        Map<String, Object> greeting = qmp.readMessage();
        if (greeting == null || !greeting.containsKey("QMP")) {
            throw new IOException("QEMU's monitor did not greet with QMP: " + greeting);
        }
        qmp.send("{\"execute\":\"qmp_capabilities\"}");
        Map<String, Object> reply = qmp.readMessage();
        if (reply == null || !reply.containsKey("return")) {
            throw new IOException("QEMU refused QMP capabilities negotiation: " + reply);
        }
        Thread reader = new Thread(() -> qmp.dispatch(events), "jgrub-qmp");
        reader.setDaemon(true);
        reader.start();
        return qmp;
    }

    private void dispatch(Consumer<Map<String, Object>> events) {
        try {
            Map<String, Object> message;
            while ((message = readMessage()) != null) {
                if (message.containsKey("event")) {
                    events.accept(message);
                } else {
                    replies.add(message);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // QEMU went away or garbled its output; the machine notices QEMU's exit on its own.
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMessage() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        Object value = Json.parse(line);
        if (!(value instanceof Map)) {
            throw new IOException("QMP sent something other than an object: " + line);
        }
        return (Map<String, Object>) value;
    }

    private synchronized void send(String json) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Runs a command and returns its "return" value; an "error" reply or no reply in time is an IOException. */
    synchronized Object execute(String command, String argumentsJson, long timeoutMillis) throws IOException {
        replies.clear();
        send("{\"execute\":" + Json.quote(command) + (argumentsJson == null ? "" : ",\"arguments\":" + argumentsJson)
                + "}");
        Map<String, Object> reply;
        try {
            reply = replies.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for QEMU to answer " + command);
        }
        if (reply == null) {
            throw new IOException("QEMU did not answer " + command + " within " + timeoutMillis + " ms");
        }
        if (reply.containsKey("error")) {
            throw new IOException("QEMU refused " + command + ": " + reply.get("error"));
        }
        return reply.get("return");
    }

    /** A human monitor command (for example {@code info registers}); returns its text. */
    String human(String commandLine) throws IOException {
        Object result = execute("human-monitor-command", "{\"command-line\":" + Json.quote(commandLine) + "}", 2000);
        return result == null ? "" : result.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
