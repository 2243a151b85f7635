package jgrub.ext;

import java.time.LocalDateTime;
import jgrub.fs.FileEntry;

/**
 * A file, directory or symbolic link of an ext2/3/4 file system. An entry found by path is what the path leads to,
 * symlinks followed (so its name and path are the final target's); an entry of a listing is the link itself.
 *
 * @param name the name in its directory (bytes decoded as UTF-8), {@code /} for the root
 * @param directory the absolute path of the directory holding it, ending in '/'; empty for the root
 * @param inode the inode number
 * @param mode i_mode: file type and permission bits
 * @param size i_size (with i_size_high); for a symlink the length of its target
 * @param modified i_mtime in UTC, or null
 */
public record ExtEntry(String name, String directory, long inode, int mode, long size, LocalDateTime modified)
        implements FileEntry {

    @Override
    public String path() {
        return directory.isEmpty() ? "/" : directory + name;
    }

    @Override
    public boolean isDirectory() {
        return (mode & Inode.S_IFMT) == Inode.S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & Inode.S_IFMT) == Inode.S_IFLNK;
    }

    /** Directories report 0, as {@link FileEntry#size} asks. */
    @Override
    public long size() {
        return isDirectory() ? 0 : size;
    }

    /** {@link #DIRECTORY} for directories, {@link #READ_ONLY} when no one may write. */
    @Override
    public int attributes() {
        return (isDirectory() ? DIRECTORY : 0) | ((mode & 0222) == 0 ? READ_ONLY : 0);
    }
}
