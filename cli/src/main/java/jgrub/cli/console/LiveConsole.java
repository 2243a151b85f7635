package jgrub.cli.console;

import java.io.IOException;
import java.io.InputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The person's terminal as the guest's console, as {@code qemu -nographic} makes it: raw mode, so every key (Ctrl-c
 * too) goes to the guest, with Ctrl-a x to end the run ({@link ConsoleKeys}). Closing restores the terminal.
 */
public final class LiveConsole implements AutoCloseable {

    private final Terminal terminal;
    private final Attributes saved;

    private LiveConsole(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        // Raw mode also stops the terminal from turning the guest's lone LF into CR LF; the guest's console does it
        // (Xen and Linux serial drivers send CR LF), so output stays as it comes.
    }

    /** Puts the process's terminal in raw mode. */
    public static LiveConsole open() throws IOException {
        return new LiveConsole(TerminalBuilder.builder().system(true).jna(false).jansi(false).build());
    }

    /** The keystrokes for the guest; they end with Ctrl-a x. */
    public InputStream keys() {
        return new ConsoleKeys(terminal.input());
    }

    @Override
    public void close() throws IOException {
        terminal.setAttributes(saved);
        terminal.flush();
        terminal.close();
    }
}
