package jgrub.cli.menu;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * Key decoding for the menu and the editor, by JLine's key maps: each key is bound to the terminal's own sequence
 * (terminfo) and to the ANSI normal- and application-mode sequences, which terminals send whatever terminfo says.
 */
final class Keys {

    /** A decoded key; {@link #CHAR} carries a character. */
    enum Key {
        UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN, ENTER, ESC, BACKSPACE, DELETE, TAB, F2, F10,
        CTRL_A, CTRL_E, CTRL_P, CTRL_N, CTRL_B, CTRL_F, CTRL_D, CTRL_K, CTRL_X, CTRL_C, CTRL_G, CHAR
    }

    /** A key and, for {@link Key#CHAR}, its character. */
    record Press(Key key, int ch) {
    }

    /** How long a lone Esc waits for the rest of an escape sequence. */
    static final long ESC_WAIT_MS = 150;

    private final BindingReader reader;
    private final KeyMap<Key> map = new KeyMap<>();

    Keys(Terminal terminal) {
        this.reader = new BindingReader(terminal.reader());
        bind(terminal, Key.UP, Capability.key_up, "\033[A", "\033OA");
        bind(terminal, Key.DOWN, Capability.key_down, "\033[B", "\033OB");
        bind(terminal, Key.RIGHT, Capability.key_right, "\033[C", "\033OC");
        bind(terminal, Key.LEFT, Capability.key_left, "\033[D", "\033OD");
        bind(terminal, Key.HOME, Capability.key_home, "\033[H", "\033OH", "\033[1~", "\033[7~");
        bind(terminal, Key.END, Capability.key_end, "\033[F", "\033OF", "\033[4~", "\033[8~");
        bind(terminal, Key.PAGE_UP, Capability.key_ppage, "\033[5~");
        bind(terminal, Key.PAGE_DOWN, Capability.key_npage, "\033[6~");
        bind(terminal, Key.DELETE, Capability.key_dc, "\033[3~");
        bind(terminal, Key.F2, Capability.key_f2, "\033OQ", "\033[12~");
        bind(terminal, Key.F10, Capability.key_f10, "\033[21~");
        map.bind(Key.ENTER, "\r", "\n");
        map.bind(Key.ESC, KeyMap.esc());
        map.bind(Key.BACKSPACE, KeyMap.del(), "\b");
        map.bind(Key.TAB, "\t");
        map.bind(Key.CTRL_A, KeyMap.ctrl('A'));
        map.bind(Key.CTRL_E, KeyMap.ctrl('E'));
        map.bind(Key.CTRL_P, KeyMap.ctrl('P'));
        map.bind(Key.CTRL_N, KeyMap.ctrl('N'));
        map.bind(Key.CTRL_B, KeyMap.ctrl('B'));
        map.bind(Key.CTRL_F, KeyMap.ctrl('F'));
        map.bind(Key.CTRL_D, KeyMap.ctrl('D'));
        map.bind(Key.CTRL_K, KeyMap.ctrl('K'));
        map.bind(Key.CTRL_X, KeyMap.ctrl('X'));
        map.bind(Key.CTRL_C, KeyMap.ctrl('C'));
        map.bind(Key.CTRL_G, KeyMap.ctrl('G'));
        map.setUnicode(Key.CHAR);
        map.setNomatch(Key.CHAR);
        map.setAmbiguousTimeout(ESC_WAIT_MS);
    }

    private void bind(Terminal terminal, Key key, Capability capability, String... sequences) {
        String own = KeyMap.key(terminal, capability);
        if (own != null && !own.isEmpty()) {
            map.bind(key, own);
        }
        map.bind(key, sequences);
    }

    /**
     * The next key, waiting at most {@code timeoutMs} (0: forever); null when none came in time.
     * An {@link InterruptedIOException} or end of input ends the session as Ctrl-C would.
     */
    Press read(long timeoutMs) throws IOException {
        if (timeoutMs > 0) {
            int c = reader.peekCharacter(timeoutMs);
            if (c == NonBlockingReader.READ_EXPIRED) {
                return null;
            }
            if (c == NonBlockingReader.EOF) {
                return new Press(Key.CTRL_C, 0);
            }
        }
        Key key = reader.readBinding(map, null, true);
        if (key == null) {
            return new Press(Key.CTRL_C, 0);
        }
        if (key == Key.CHAR) {
            String last = reader.getLastBinding();
            int ch = last == null || last.isEmpty() ? 0 : last.codePointAt(0);
            if (ch < 0x20 || ch == 0x7f || (last != null && last.length() > Character.charCount(ch))) {
                return new Press(Key.CHAR, 0);
            }
            return new Press(Key.CHAR, ch);
        }
        return new Press(key, 0);
    }
}
