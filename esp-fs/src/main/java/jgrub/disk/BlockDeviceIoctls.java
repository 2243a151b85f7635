package jgrub.disk;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * What the Linux kernel says of a block device (a disk such as {@code /dev/nvme0n1}, a partition, a loop device): its
 * size in bytes ({@code BLKGETSIZE64}) and its logical sector size ({@code BLKSSZGET}), through {@code ioctl(2)} from
 * the C library by jnr-ffi. The device is opened read-only and closed again at once.
 */
final class BlockDeviceIoctls {

    /** {@code _IOR(0x12, 114, size_t)}: the size in bytes, a u64. */
    static final long BLKGETSIZE64 = 0x80081272L;
    /** {@code _IO(0x12, 104)}: the logical sector size, an int. */
    static final long BLKSSZGET = 0x1268L;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    /** The C library functions used, as jnr-ffi binds them. */
    public interface LibC {
        int open(String path, int flags);

        int ioctl(int fd, long request, Pointer result);

        int close(int fd);

        String strerror(int errnum);
    }

    /** Size and logical sector size of one block device. */
    record Geometry(long size, int logicalSectorSize) {
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    }

    private BlockDeviceIoctls() {
    }

    static Geometry of(Path device) throws IOException {
        LibC libc = Holder.LIBC;
        Runtime runtime = Runtime.getRuntime(libc);
        int fd = libc.open(device.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(device + ": cannot open the block device: " + errno(runtime));
        }
        try {
            Pointer result = Memory.allocateDirect(runtime, 8);
            if (libc.ioctl(fd, BLKGETSIZE64, result) != 0) {
                throw new IOException(device + ": ioctl BLKGETSIZE64: " + errno(runtime));
            }
            long size = result.getLong(0);
            result.putLong(0, 0);
            if (libc.ioctl(fd, BLKSSZGET, result) != 0) {
                throw new IOException(device + ": ioctl BLKSSZGET: " + errno(runtime));
            }
            int sectorSize = result.getInt(0);
            if (sectorSize != 512 && sectorSize != 4096) {
                throw new IOException(device + ": logical sector size " + sectorSize
                        + " (jgrub reads disks of 512- and 4096-byte sectors)");
            }
            return new Geometry(size, sectorSize);
        } finally {
            libc.close(fd);
        }
    }

    private static String errno(Runtime runtime) {
        int errno = runtime.getLastError();
        return Holder.LIBC.strerror(errno) + " (errno " + errno + ")";
    }
}
