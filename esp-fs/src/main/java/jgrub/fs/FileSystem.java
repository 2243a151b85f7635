package jgrub.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Optional;
import jgrub.ext.ExtFileSystem;
import jgrub.fat.FatFileSystem;

/**
 * A file system on one partition, read-only: what the config reader, the loader commands and EFI's Simple File System
 * see. Each kind is one permitted type (FAT, ext2/3/4), added here and in {@link Disk}'s probe, so that no caller
 * changes. Paths are absolute or relative to the root and use {@code /} or {@code \}; lookups without a
 * {@link Lookup} follow GRUB's rules. A missing path raises {@link NoSuchFileException}, a file used as a directory
 * {@link NotDirectoryException}, a corrupt structure a {@link jgrub.disk.DiskFormatException}. Thread-safe.
 */
public sealed interface FileSystem permits FatFileSystem, ExtFileSystem {

    /** GRUB's name for the kind, as {@code probe --fs} prints it: {@code fat}, {@code ext2} (for ext2/3/4). */
    String typeName();

    /** The id GRUB prints and {@code search --fs-uuid} matches. */
    String uuid();

    /** The volume label as GRUB reports it, if there is one. */
    Optional<String> label();

    /**
     * What the user should hear about this file system though it opened, one line each: for example an ext file
     * system whose journal needs recovery.
     */
    default List<String> warnings() {
        return List.of();
    }

    FileEntry root();

    FileEntry entry(String path) throws IOException;

    FileEntry entry(String path, Lookup lookup) throws IOException;

    /** The entry at {@code path} if there is one. */
    Optional<? extends FileEntry> find(String path) throws IOException;

    Optional<? extends FileEntry> find(String path, Lookup lookup) throws IOException;

    /** The entries of the directory at {@code path}, in directory order, without {@code .} and {@code ..}. */
    List<? extends FileEntry> list(String path) throws IOException;

    /** The entries of {@code dir}, an entry of this file system. */
    List<? extends FileEntry> list(FileEntry dir) throws IOException;

    OpenFile open(String path) throws IOException;

    /** Opens {@code file}, an entry of this file system. */
    OpenFile open(FileEntry file) throws IOException;

    /** Bytes the volume holds for files: the size EFI_FILE_SYSTEM_INFO reports. */
    long totalBytes();

    /** Bytes free; may read the whole allocation map once. */
    long freeBytes() throws IOException;

    /** The unit of allocation in bytes (FAT: the cluster). */
    int blockSize();

    default boolean exists(String path) throws IOException {
        return find(path).isPresent();
    }

    default boolean isDirectory(String path) throws IOException {
        return find(path).map(FileEntry::isDirectory).orElse(false);
    }

    /** The size in bytes of the file at {@code path} (0 for a directory). */
    default long size(String path) throws IOException {
        return entry(path).size();
    }

    default InputStream newInputStream(String path) throws IOException {
        return open(path).newInputStream();
    }

    /**
     * The whole file; callers check its size first, as this holds it in the heap. It is read straight into one array
     * of its size: {@link InputStream#readAllBytes()} would gather it in chunks and copy them into a second array,
     * twice the file at once (a 36 MiB initrd took jgrub's heap 72 MiB while it was read).
     */
    default byte[] readAllBytes(FileEntry file) throws IOException {
        OpenFile open = open(file);
        long size = open.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("file " + file.name() + ": unsupported size 0x" + Long.toHexString(size)
                    + " (jgrub holds at most 2 GiB of a file in memory)");
        }
        byte[] bytes = new byte[(int) size];
        open.readFully(ByteBuffer.wrap(bytes), "file " + file.name());
        return bytes;
    }
}
