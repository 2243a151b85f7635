package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How the console tries {@code --until}: on the line as a terminal shows it, and on the line still being written. */
class ConsoleTest {

    private final List<Console.Match> matches = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Console console(String until) {
        return new Console(out, null, Optional.of(Pattern.compile(until)), matches::add);
    }

    private static void send(Console console, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        console.accept(bytes, bytes.length);
    }

    /** Waits until a prompt's quiet time has passed, and a little more for the delayed match to run. */
    private static void afterPromptQuiet() throws InterruptedException {
        Thread.sleep(Console.PROMPT_QUIET_MILLIS + 300);
    }

    @Test
    void promptWithoutNewline_matchesOnceTheGuestWaitsAfterIt_timedWhenItArrived() throws Exception {
        Console console = console("login: $");
        send(console, "Debian GNU/Linux 12 host ttyS0\r\n\r\n");
        for (char c : "host log".toCharArray()) {
            send(console, String.valueOf(c));
        }
        long before = System.nanoTime();
        send(console, "in: ");
        long after = System.nanoTime();
        assertTrue(matches.isEmpty(), "matched before the guest paused: " + matches);
        afterPromptQuiet();
        assertEquals(1, matches.size());
        assertEquals("host login: ", matches.get(0).line());
        assertTrue(matches.get(0).nanos() >= before && matches.get(0).nanos() <= after, "timed when it arrived");
        assertEquals(Optional.of(matches.get(0)), console.matched());
        assertEquals("Debian GNU/Linux 12 host ttyS0\r\n\r\nhost login: ", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLineArrivingInPieces_isMatchedWhole_notAtAPiecesEnd() throws Exception {
        Console console = console("sec.nd");
        send(console, "first line\r\nsecond");
        send(console, " line\r\nthird");
        afterPromptQuiet();
        assertEquals(List.of("second line"), matches.stream().map(Console.Match::line).toList());
    }

    @Test
    void matchIsReportedOnce_thoughTheLineGoesOnAndEnds() throws Exception {
        Console console = console("login:");
        send(console, "host login: ");
        afterPromptQuiet();
        send(console, "root\r\n");
        send(console, "host login: \r\n");
        afterPromptQuiet();
        assertEquals(1, matches.size());
        assertEquals("host login: ", matches.get(0).line());
    }

    @Test
    void colouredAndRedrawnLines_matchAsShown() throws Exception {
        Console console = console("^Welcome to Debian GNU/Linux 12!$");
        send(console, "\u001b[?25l\u001b[0;1;32mWelcome\u001b[0m to \u001b]0;title\u0007Debian GNU/Linux 12!\r\n");
        assertEquals(List.of("Welcome to Debian GNU/Linux 12!"), matches.stream().map(Console.Match::line).toList());
    }

    @Test
    void lineLongerThanTheLimit_isMatchedWhenItEnds() throws Exception {
        Console console = console("END");
        send(console, "x".repeat(Console.PARTIAL_MATCH_LIMIT) + "END");
        assertTrue(matches.isEmpty());
        send(console, "\n");
        assertEquals(1, matches.size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "plain text                    | plain text",
        "<ESC>[1mbold<ESC>[0m          | bold",
        "<ESC>[38;5;196mred            | red",
        "<ESC>]0;window title<ESC>\\text | text",
        "<ESC>]0;title<BEL>text        | text",
        "<ESC>(Bline drawing reset     | line drawing reset",
        "progress 10%<CR>progress 100% | progress 100%",
        "abcdef<CR>xy                  | xycdef",
        "ab<BS>X                       | aX",
        "\"cut short <ESC>[1\"          | \"cut short \"",
        "trailing CR<CR>               | trailing CR",
    })
    void shown_isWhatATerminalShows(String raw, String shown) {
        assertEquals(shown, ConsoleText.shown(raw.replace("<ESC>", "\u001b").replace("<BEL>", "\u0007")
                .replace("<CR>", "\r").replace("<BS>", "\b")));
    }
}
