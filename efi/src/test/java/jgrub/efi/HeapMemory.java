package jgrub.efi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guest RAM for unit tests: {@code [0, size)} in a heap buffer. */
final class HeapMemory implements PhysicalMemory {

    private final ByteBuffer ram;

    HeapMemory(int size) {
        ram = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean isRam(long address, long length) {
        return address >= 0 && length >= 0 && address <= ram.capacity() - length;
    }

    @Override
    public ByteBuffer slice(long address, int length) throws EfiException {
        if (!isRam(address, length)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(length) + " bytes at 0x"
                    + Long.toHexString(address) + " are not guest RAM");
        }
        return ram.slice((int) address, length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
