package jgrub.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import jgrub.fat.FatFile;

/** A file opened for reading, straight from the device: its bytes are never held whole in the heap. Thread-safe. */
public sealed interface OpenFile permits FatFile {

    FileEntry entry();

    long size();

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at or past the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Copies {@code count} bytes from {@code position} to {@code target}. */
    void transferTo(long position, long count, WritableByteChannel target) throws IOException;

    InputStream newInputStream();

    /** A read-only channel with its own position, for callers that seek (the EFI file protocol). */
    SeekableByteChannel newChannel();
}
