package jgrub.cli.console;

import java.io.IOException;
import java.io.InputStream;

/**
 * The person's keystrokes for the guest's console, with QEMU's escape: Ctrl-a x ends the input (and so the run),
 * Ctrl-a Ctrl-a sends one Ctrl-a (Xen switches its serial input with three of them), Ctrl-a followed by anything else
 * is dropped with it. Every other byte goes to the guest unchanged.
 */
public final class ConsoleKeys extends InputStream {

    /** Ctrl-a, the escape byte. */
    static final int ESCAPE = 0x01;

    private final InputStream keys;
    private boolean escaped;
    private boolean ended;

    public ConsoleKeys(InputStream keys) {
        this.keys = keys;
    }

    @Override
    public int read() throws IOException {
        while (!ended) {
            int c = keys.read();
            if (c < 0) {
                ended = true;
                break;
            }
            if (escaped) {
                escaped = false;
                if (c == 'x' || c == 'X') {
                    ended = true;
                    break;
                }
                if (c == ESCAPE) {
                    return ESCAPE;
                }
                continue;
            }
            if (c == ESCAPE) {
                escaped = true;
                continue;
            }
            return c;
        }
        return -1;
    }

    /** One byte at a time: keys arrive one by one, and each must reach the guest at once. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int c = read();
        if (c < 0) {
            return -1;
        }
        buffer[offset] = (byte) c;
        return 1;
    }
}
