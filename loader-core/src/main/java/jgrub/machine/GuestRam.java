package jgrub.machine;

import java.nio.ByteBuffer;

/**
 * Guest-physical memory as a boot protocol sees it while it plans in the running guest: the machine's mapped RAM
 * ({@link GuestMemory}), or a heap buffer in tests. Implementations refuse any range that is not wholly guest RAM.
 */
public interface GuestRam {

    /** Whether {@code [address, address + length)} is guest RAM. */
    boolean isRam(long address, long length);

    /**
     * A little-endian view of exactly {@code [address, address + length)}; writes through it land in guest RAM.
     *
     * @throws GuestMemoryException when the range is not guest RAM
     */
    ByteBuffer slice(long address, long length) throws GuestMemoryException;
}
