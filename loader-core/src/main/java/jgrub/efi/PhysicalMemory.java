package jgrub.efi;

import java.nio.ByteBuffer;

/**
 * Guest-physical memory as the EFI services see it. The machine's guest RAM implements it; tests use a heap buffer.
 * Implementations refuse any range that is not wholly guest RAM.
 */
public interface PhysicalMemory {

    /** Whether {@code [address, address + length)} is guest RAM. */
    boolean isRam(long address, long length);

    /**
     * A little-endian view of exactly {@code [address, address + length)}; writes go to guest RAM.
     *
     * @throws EfiException INVALID_PARAMETER when the range is not guest RAM
     */
    ByteBuffer slice(long address, int length) throws EfiException;
}
