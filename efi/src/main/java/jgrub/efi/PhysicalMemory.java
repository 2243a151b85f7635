package jgrub.efi;

import java.nio.ByteBuffer;
import jgrub.machine.GuestMemoryException;
import jgrub.machine.GuestRam;

/**
 * Guest-physical memory as the EFI services see it: a range that is not guest RAM is the caller's
 * {@code EFI_INVALID_PARAMETER}. The machine's guest RAM is adapted by {@link #of}; tests use a heap buffer.
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

    /** The running guest's RAM, its refusals turned into {@code EFI_INVALID_PARAMETER}. */
    static PhysicalMemory of(GuestRam ram) {
        return new PhysicalMemory() {
            @Override
            public boolean isRam(long address, long length) {
                return ram.isRam(address, length);
            }

            @Override
            public ByteBuffer slice(long address, int length) throws EfiException {
                try {
                    return ram.slice(address, length);
                } catch (GuestMemoryException e) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, e.getMessage());
                }
            }
        };
    }
}
