package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The guest's first UART: its bytes go to the user's terminal and the log as they come, and are cut into lines, the
 * last few of which are kept for error messages. {@code --until} is tried against each line as a terminal shows it
 * ({@link ConsoleText#shown}: escape sequences dropped, carriage returns and backspaces applied), and against the line
 * being written too, whenever bytes arrive, so that a prompt the guest ends without a newline ({@code login: }) matches
 * as soon as it is printed.
 */
final class Console {

    static final int KEPT_LINES = 15;

    /**
     * The line being written is tried against {@code --until} while it is at most this long: a prompt is short, and a
     * guest writing a long line byte by byte would otherwise cost a match of the whole line per byte.
     */
    static final int PARTIAL_MATCH_LIMIT = 4096;

    /** What matched {@code --until}: the line as shown, and when (a {@link System#nanoTime} value). */
    record Match(String line, long nanos) {
    }

    private final OutputStream stream;
    private final OutputStream log;
    private final Optional<Pattern> until;
    private final Consumer<Match> onMatch;
    private final Deque<String> last = new ArrayDeque<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile Match matched;

    Console(OutputStream stream, OutputStream log, Optional<Pattern> until, Consumer<Match> onMatch) {
        this.stream = stream;
        this.log = log;
        this.until = until;
        this.onMatch = onMatch;
    }

    /** Copies {@code in} until it ends. */
    void pump(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            accept(buffer, n);
        }
        synchronized (this) {
            if (line.size() > 0) {
                endLine();
            }
        }
    }

    void accept(byte[] buffer, int length) throws IOException {
        if (stream != null) {
            stream.write(buffer, 0, length);
            stream.flush();
        }
        if (log != null) {
            log.write(buffer, 0, length);
            log.flush();
        }
        synchronized (this) {
            for (int i = 0; i < length; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    endLine();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0 && line.size() <= PARTIAL_MATCH_LIMIT) {
                tryMatch(line.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        last.addLast(text);
        if (last.size() > KEPT_LINES) {
            last.removeFirst();
        }
        tryMatch(text);
    }

    private void tryMatch(String text) {
        if (matched != null || until.isEmpty()) {
            return;
        }
        String shown = ConsoleText.shown(text);
        if (until.get().matcher(shown).find()) {
            matched = new Match(shown, System.nanoTime());
            onMatch.accept(matched);
        }
    }

    /** What matched {@code --until}, if anything did. */
    Optional<Match> matched() {
        return Optional.ofNullable(matched);
    }

    /** The last complete lines, and the line being written if any. */
    synchronized List<String> lastLines() {
        List<String> lines = new ArrayList<>(last);
        if (line.size() > 0) {
            lines.add(line.toString(StandardCharsets.UTF_8));
        }
        return lines;
    }
}
