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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The guest's first UART: its bytes go to the user's terminal and the log as they come, and are cut into lines, the
 * last few of which are kept for error messages. {@code --until} is tried against each line as a terminal shows it
 * ({@link ConsoleText#shown}: escape sequences dropped, carriage returns and backspaces applied), and against the line
 * being written too, so that a prompt the guest ends without a newline ({@code login: }) matches. The line being
 * written counts only once the guest has written nothing more for {@link #PROMPT_QUIET_MILLIS}, as a prompt waiting
 * for input does: the UART's bytes come in pieces, and {@code sec.nd} must match {@code second line} whole, not
 * {@code second} at a piece's end. A match is timed when its text arrived.
 */
final class Console {

    static final int KEPT_LINES = 15;

    /**
     * The line being written is tried against {@code --until} while it is at most this long: a prompt is short, and a
     * guest writing a long line byte by byte would otherwise cost a match of the whole line per byte.
     */
    static final int PARTIAL_MATCH_LIMIT = 4096;

    /** How long the line being written must stay as it is to count as a prompt. */
    static final long PROMPT_QUIET_MILLIS = 200;

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
    /** Counts the pieces accepted, so that a prompt's delayed match knows whether anything came after it. */
    private long pieces;

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
            pieces++;
            for (int i = 0; i < length; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    endLine();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0 && line.size() <= PARTIAL_MATCH_LIMIT) {
                tryPrompt(line.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** Schedules the match of the line being written, which holds if nothing follows it for a while. */
    private void tryPrompt(String text) {
        matching(text).ifPresent(candidate -> {
            long seen = pieces;
            CompletableFuture.delayedExecutor(PROMPT_QUIET_MILLIS, TimeUnit.MILLISECONDS)
                    .execute(() -> promptSettled(seen, candidate));
        });
    }

    private synchronized void promptSettled(long seen, Match candidate) {
        if (pieces == seen && matched == null) {
            matched = candidate;
            onMatch.accept(candidate);
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
        matching(text).ifPresent(match -> {
            matched = match;
            onMatch.accept(match);
        });
    }

    /** {@code text} as shown, timed now, if nothing has matched yet and it does. */
    private Optional<Match> matching(String text) {
        if (matched != null || until.isEmpty()) {
            return Optional.empty();
        }
        String shown = ConsoleText.shown(text);
        return until.get().matcher(shown).find() ? Optional.of(new Match(shown, System.nanoTime())) : Optional.empty();
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
