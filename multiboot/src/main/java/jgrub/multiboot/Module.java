package jgrub.multiboot;

import java.util.List;
import jgrub.boot.Contents;
import jgrub.compress.Compression;
import jgrub.compress.CompressionException;

/**
 * A module as the {@code module}/{@code module2} command loads it: its bytes (unpacked unless {@code --nounzip}) and
 * the words after its path, from which its command line is made as for the kernel (GRUB 2 passes no path).
 */
public record Module(String path, Contents contents, List<String> arguments) {

    public Module {
        arguments = List.copyOf(arguments);
    }

    /**
     * A module from the bytes of its file: gzip and xz are unpacked as GRUB's file filters do, unless
     * {@code nounzip}; at most {@code limit} bytes come out.
     */
    public static Module of(String path, byte[] file, boolean nounzip, List<String> arguments, long limit)
            throws CompressionException {
        byte[] bytes = nounzip ? file : Compression.unpack(path, file, limit);
        return new Module(path, Slice.of(bytes), arguments);
    }

    public static Module of(String path, byte[] file, boolean nounzip, List<String> arguments)
            throws CompressionException {
        return of(path, file, nounzip, arguments, Compression.DEFAULT_LIMIT);
    }

    public byte[] commandLine() {
        return LoaderIdentity.commandLine(arguments);
    }
}
