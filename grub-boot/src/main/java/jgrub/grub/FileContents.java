package jgrub.grub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import jgrub.boot.Contents;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;

/**
 * A file on the user's disk as a segment's contents: read from its file system only when the machine writes guest
 * memory (or an EFI call copies it out), straight into the target, so that an initrd or a module never sits in the
 * heap. {@code name} is the file as the config named it after {@code $root}, {@code (hd0,gpt2)/boot/initrd.img},
 * for messages.
 */
record FileContents(FileSystem fs, FileEntry file, String name) implements Contents {

    @Override
    public long size() {
        return file.size();
    }

    /** The file's first bytes (fewer when it is shorter), to tell a compressed module from a plain one. */
    byte[] head(int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate((int) Math.min(length, size()));
        fs.open(file).readFully(dst, name);
        return dst.array();
    }

    /** The whole file in the heap: a kernel, or a module GRUB's filters unpack. */
    byte[] readAll() throws IOException {
        return fs.readAllBytes(file);
    }

    @Override
    public void writeTo(ByteBuffer target) throws IOException {
        long size = size();
        if (size > target.remaining()) {
            throw new IOException(name + ": 0x" + Long.toHexString(size) + " bytes do not fit the 0x"
                    + Integer.toHexString(target.remaining()) + " bytes given for them");
        }
        ByteBuffer window = target.slice(target.position(), (int) size);
        fs.open(file).readFully(window, name);
        target.position(target.position() + (int) size);
    }

    @Override
    public void copyTo(WritableByteChannel sink) throws IOException {
        fs.open(file).transferTo(0, size(), sink);
    }
}
