package jgrub.efi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A read-only file system served through EFI_SIMPLE_FILE_SYSTEM_PROTOCOL: the ESP, read by esp-fs. Paths use
 * {@code /} and are absolute; lookups are case-insensitive as FAT's are.
 */
public interface EfiVolume {

    String label();

    long totalBytes();

    long freeBytes();

    int blockSize();

    /** The entry at an absolute path, or null when there is none. */
    Entry lookup(String path) throws IOException;

    interface Entry {
        /** The name as stored (long name where there is one). */
        String name();

        boolean isDirectory();

        long size();

        /** Modification time, seconds since the epoch (UTC). */
        long modified();

        /** EFI_FILE_INFO attribute bits: read-only 0x1, hidden 0x2, system 0x4, directory 0x10, archive 0x20. */
        long attributes();

        /** Reads from {@code position} into {@code target} until it is full or the file ends; returns bytes read. */
        int read(long position, ByteBuffer target) throws IOException;

        /** A directory's entries, without "." and "..". */
        List<Entry> list() throws IOException;
    }
}
