package jgrub.config.eval;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The disk a config boots from, as the evaluator sees it: devices with GRUB's names, and files on them. The evaluator
 * uses it for {@code search}, {@code test -f/-d/-s/-e}, {@code source}/{@code configfile}, {@code load_env} and the
 * file checks of boot commands. config-grammar does not read disk images itself; an adapter over esp-fs lives in cli.
 *
 * <p>Paths are absolute within the device ({@code /EFI/BOOT/grub.cfg}); an implementation decides case rules (FAT
 * ignores case).
 */
public interface DiskView {

    /** A device GRUB can name: a whole disk ({@code hd0}) or a partition ({@code hd0,gpt1}), with its filesystem's ids. */
    record Device(String name, Optional<String> fsUuid, Optional<String> label) {
    }

    /** What {@code stat} says about an existing file or directory. */
    record FileInfo(boolean directory, long size) {
    }

    /** One name in a directory, as {@code ls} lists it. */
    record DirEntry(String name, boolean directory, long size) {
    }

    /** Whether there is a disk at all; without one, checks that need the disk are skipped and said to be skipped. */
    default boolean present() {
        return true;
    }

    /**
     * Whether files on {@code device} can be looked at; false for a file system the view cannot read (then a file's
     * absence proves nothing, and checks on it are skipped and said to be skipped).
     */
    default boolean readable(String device) {
        return present();
    }

    /** The devices in GRUB's search order. */
    List<Device> devices();

    /** The file or directory at {@code path} on {@code device}, or empty when there is none (or no such device). */
    Optional<FileInfo> stat(String device, String path) throws IOException;

    /** The whole content of a file; {@link java.nio.file.NoSuchFileException} when there is none. */
    byte[] read(String device, String path) throws IOException;

    /**
     * The names in the directory at {@code path} on {@code device}, in directory order;
     * {@link java.nio.file.NoSuchFileException} when there is none, {@link java.nio.file.NotDirectoryException} for
     * a file. A view that cannot list directories says so: the default is "unsupported".
     */
    default List<DirEntry> list(String device, String path) throws IOException {
        throw new IOException("listing (" + device + ")" + path + " is unsupported by this disk view");
    }

    /** No disk: every device list is empty and every check that needs the disk is skipped. */
    DiskView NONE = new DiskView() {
        @Override
        public boolean present() {
            return false;
        }

        @Override
        public List<Device> devices() {
            return List.of();
        }

        @Override
        public Optional<FileInfo> stat(String device, String path) {
            return Optional.empty();
        }

        @Override
        public byte[] read(String device, String path) throws IOException {
            throw new java.nio.file.NoSuchFileException("(" + device + ")" + path);
        }
    };
}
