package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A stream over a socket channel's reads. Not {@code Channels.newInputStream}: on JDK 17 its blocking read holds a
 * lock that {@code Channels.newOutputStream} on the same channel also takes, so a reader would block every writer.
 */
final class SocketInput extends InputStream {

    private final SocketChannel channel;
    private final ByteBuffer one = ByteBuffer.allocate(1);

    SocketInput(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        one.clear();
        int n;
        do {
            n = channel.read(one);
        } while (n == 0);
        return n < 0 ? -1 : Byte.toUnsignedInt(one.get(0));
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        do {
            n = channel.read(ByteBuffer.wrap(buffer, offset, length));
        } while (n == 0);
        return n;
    }
}
