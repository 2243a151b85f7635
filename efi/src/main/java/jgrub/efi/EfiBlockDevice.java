package jgrub.efi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A disk or partition served through EFI_BLOCK_IO_PROTOCOL and EFI_DISK_IO_PROTOCOL: read-only. */
public interface EfiBlockDevice {

    int blockSize();

    /** Size in bytes, a whole number of blocks. */
    long size();

    /** Reads {@code target.remaining()} bytes from {@code offset}; the range lies within the device. */
    void read(long offset, ByteBuffer target) throws IOException;
}
