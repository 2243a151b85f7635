package jgrub.machine;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The guest's RAM, mapped from the file QEMU uses as its memory backend. Every access names a guest-physical address
 * and a length and is checked against guest RAM first, so neither a loader's plan nor a pointer from guest code can
 * reach host memory outside it.
 *
 * <p>QEMU's {@code pc} machine puts the first {@code min(size, 3 GiB)} of the file at guest-physical 0 and the rest
 * at 4 GiB ({@link GuestLayout#MAX_RAM_BELOW_4G}); an access must lie wholly in one of those two ranges. The file is
 * mapped in 1 GiB windows that overlap their successor by {@link #OVERLAP}, so any access up to that size is one
 * slice of one window.
 */
public final class GuestMemory implements GuestRam {

    private static final long WINDOW = 1L << 30;
    private static final long OVERLAP = 256L << 20;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final FileChannel file;
    private final long size;
    private final long below4g;
    private final MappedByteBuffer[] windows;

    private GuestMemory(FileChannel file, long size) throws IOException {
        this.file = file;
        this.size = size;
        this.below4g = Math.min(size, GuestLayout.MAX_RAM_BELOW_4G);
        int count = (int) ((size + WINDOW - 1) / WINDOW);
        this.windows = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long start = i * WINDOW;
            long length = Math.min(size - start, WINDOW + OVERLAP);
            windows[i] = file.map(FileChannel.MapMode.READ_WRITE, start, length);
            windows[i].order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Maps {@code size} bytes of guest RAM from {@code file}, which must be at least that long. */
    public static GuestMemory map(FileChannel file, long size) throws IOException {
        if (size <= 0 || file.size() < size) {
            throw new IOException("guest RAM file holds " + file.size() + " bytes, expected " + size);
        }
        return new GuestMemory(file, size);
    }

    /** Bytes of guest RAM. */
    public long size() {
        return size;
    }

    /** Guest RAM below 4 GiB: {@code [0, below4g())}. */
    public long below4g() {
        return below4g;
    }

    /** First guest-physical address past the highest byte of RAM. */
    public long top() {
        return size > below4g ? GuestLayout.HIGH_RAM_START + (size - below4g) : below4g;
    }

    @Override
    public boolean isRam(long address, long length) {
        if (address < 0 || length < 0) {
            return false;
        }
        if (address <= below4g && length <= below4g - address) {
            return true;
        }
        long high = size - below4g;
        long offset = address - GuestLayout.HIGH_RAM_START;
        return high > 0 && offset >= 0 && offset <= high && length <= high - offset;
    }

    private long fileOffset(long address, long length) throws GuestMemoryException {
        if (!isRam(address, length)) {
            throw new GuestMemoryException("guest range 0x" + Long.toHexString(address) + " + 0x"
                    + Long.toHexString(length) + " is not guest RAM (RAM is [0, 0x" + Long.toHexString(below4g) + ")"
                    + (size > below4g ? " and [0x100000000, 0x" + Long.toHexString(top()) + ")" : "") + ")");
        }
        return address < GuestLayout.HIGH_RAM_START ? address : below4g + (address - GuestLayout.HIGH_RAM_START);
    }

    /**
     * A little-endian view of exactly {@code [address, address + length)}; writes through it land in guest RAM.
     * Views up to 256 MiB are slices of the standing mapping; longer ones that cross a window get a mapping of their own.
     */
    @Override
    public ByteBuffer slice(long address, long length) throws GuestMemoryException {
        if (length > Integer.MAX_VALUE) {
            throw new GuestMemoryException("guest range 0x" + Long.toHexString(address) + " + 0x"
                    + Long.toHexString(length) + " is larger than one buffer (2 GiB)");
        }
        long offset = fileOffset(address, length);
        int index = (int) (offset / WINDOW);
        long inWindow = offset - index * WINDOW;
        MappedByteBuffer window = windows[index];
        if (inWindow + length <= window.capacity()) {
            return window.slice((int) inWindow, (int) length).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return file.map(FileChannel.MapMode.READ_WRITE, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new GuestMemoryException("cannot map guest range 0x" + Long.toHexString(address) + " + 0x"
                    + Long.toHexString(length) + ": " + e.getMessage());
        }
    }

    public byte[] read(long address, int length) throws GuestMemoryException {
        byte[] bytes = new byte[length];
        slice(address, length).get(bytes);
        return bytes;
    }

    public void write(long address, byte[] bytes) throws GuestMemoryException {
        slice(address, bytes.length).put(bytes);
    }

    /** Sets {@code [address, address + length)} to zero, in slices so that any length works. */
    public void zero(long address, long length) throws GuestMemoryException {
        fileOffset(address, length);
        byte[] zeros = new byte[(int) Math.min(length, 1 << 20)];
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(zeros.length, length - done);
            slice(address + done, chunk).put(zeros, 0, chunk);
            done += chunk;
        }
    }

    public int readU8(long address) throws GuestMemoryException {
        return Byte.toUnsignedInt(slice(address, 1).get(0));
    }

    public int readU16(long address) throws GuestMemoryException {
        return Short.toUnsignedInt(slice(address, 2).getShort(0));
    }

    public int readU32(long address) throws GuestMemoryException {
        return slice(address, 4).getInt(0);
    }

    public long readU64(long address) throws GuestMemoryException {
        return slice(address, 8).getLong(0);
    }

    public void writeU32(long address, int value) throws GuestMemoryException {
        slice(address, 4).putInt(0, value);
    }

    public void writeU64(long address, long value) throws GuestMemoryException {
        slice(address, 8).putLong(0, value);
    }

    /** Reads a 4-byte aligned word with acquire semantics: what guest code wrote before it is visible after. */
    public int readU32Acquire(long address) throws GuestMemoryException {
        return (int) INT.getAcquire(alignedWord(address), 0);
    }

    /** Writes a 4-byte aligned word with release semantics: everything written before is visible to guest code first. */
    public void writeU32Release(long address, int value) throws GuestMemoryException {
        INT.setRelease(alignedWord(address), 0, value);
    }

    private ByteBuffer alignedWord(long address) throws GuestMemoryException {
        if ((address & 3) != 0) {
            throw new GuestMemoryException("guest word at 0x" + Long.toHexString(address) + " is not 4-byte aligned");
        }
        return slice(address, 4);
    }
}
