package jgrub.multiboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What real GRUB 2.06 (i386-pc, under QEMU and SeaBIOS) handed the dump-mbi kernel, as {@code capture.sh} recorded it
 * from the serial console: EAX, EBX and guest memory at the dumped addresses.
 */
public final class GrubCapture implements ReadableMemory {

    public final long eax;
    public final long ebx;
    private final TreeMap<Long, Byte> memory = new TreeMap<>();

    private GrubCapture(String log) {
        long a = -1;
        long b = -1;
        for (String line : log.split("\n")) {
            if (line.startsWith("EAX=")) {
                a = Long.parseLong(line.substring(4, 12), 16);
                b = Long.parseLong(line.substring(17, 25), 16);
            } else if (line.startsWith("@")) {
                long at = Long.parseLong(line.substring(1, 9), 16);
                String[] hex = line.substring(11).trim().split(" ");
                for (String h : hex) {
                    memory.put(at++, (byte) Integer.parseInt(h, 16));
                }
            }
        }
        eax = a;
        ebx = b;
    }

    public static GrubCapture load(String name) throws IOException {
        return new GrubCapture(new String(resource(name), StandardCharsets.US_ASCII));
    }

    public static byte[] resource(String name) throws IOException {
        try (InputStream in = GrubCapture.class.getResourceAsStream("grub/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource grub/" + name);
            }
            return in.readAllBytes();
        }
    }

    /** {@code length} bytes at {@code address}; every one must have been dumped. */
    @Override
    public byte[] read(long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            Byte b = memory.get(address + i);
            if (b == null) {
                throw new IllegalArgumentException("byte at 0x" + Long.toHexString(address + i) + " was not dumped");
            }
            out[i] = b;
        }
        return out;
    }

    public Map<Long, Byte> memory() {
        return memory;
    }
}
