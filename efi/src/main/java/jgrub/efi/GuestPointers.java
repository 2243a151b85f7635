package jgrub.efi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Access to memory through the pointers a guest passes to a service, as the guest's CPU would see them: each address
 * is translated through the caller's page tables (CR3; 4-level paging, 4 KiB, 2 MiB and 1 GiB pages; Intel SDM vol. 3A
 * section 4.5) and each byte must land in guest RAM. Before ExitBootServices jgrub's identity map makes virtual equal
 * physical; afterwards Xen calls runtime services with pointers into its own address space, which only a walk of its
 * page tables resolves. A failed translation is EFI_INVALID_PARAMETER, never a host access outside the guest.
 */
public final class GuestPointers {

    private static final long PAGE = 4096;
    private static final long ADDRESS_MASK = 0x000FFFFFFFFFF000L;
    private static final long PRESENT = 1;
    private static final long LARGE = 1 << 7;

    private final PhysicalMemory memory;
    private final long cr3;
    private final List<Guarded> guarded;

    /** A range of guest-physical memory no write through these pointers may touch, and what it holds. */
    public record Guarded(String name, long start, long length) {
        boolean overlaps(long physical, long count) {
            return Long.compareUnsigned(physical, start + length) < 0
                    && Long.compareUnsigned(start, physical + count) < 0;
        }
    }

    /** {@code cr3 == 0} means paging is off or an identity map: addresses are physical. */
    public GuestPointers(PhysicalMemory memory, long cr3) {
        this(memory, cr3, List.of());
    }

    private GuestPointers(PhysicalMemory memory, long cr3, List<Guarded> guarded) {
        this.memory = memory;
        this.cr3 = cr3 & ADDRESS_MASK;
        this.guarded = guarded;
    }

    /**
     * The same view, refusing with EFI_INVALID_PARAMETER any write that would land in one of {@code ranges}: a
     * service's output pointer into jgrub's own tables or stubs is the guest's mistake, never a write.
     */
    public GuestPointers guarding(List<Guarded> ranges) {
        return new GuestPointers(memory, cr3, List.copyOf(ranges));
    }

    public PhysicalMemory physical() {
        return memory;
    }

    /** The guest-physical address of a virtual one. */
    public long translate(long virtual) throws EfiException {
        if (cr3 == 0) {
            return virtual;
        }
        long table = cr3;
        for (int level = 4; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long index = (virtual >>> shift) & 0x1FF;
            long entry = memory.slice(table + index * 8, 8).getLong(0);
            if ((entry & PRESENT) == 0) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "address 0x" + Long.toHexString(virtual)
                        + " is not mapped (level " + level + " entry 0x" + Long.toHexString(entry) + ")");
            }
            if (level <= 3 && level >= 2 && (entry & LARGE) != 0) {
                long size = 1L << shift;
                return (entry & ADDRESS_MASK & -size) | (virtual & (size - 1));
            }
            table = entry & ADDRESS_MASK;
        }
        return table | (virtual & (PAGE - 1));
    }

    /** Reads {@code length} bytes at a guest pointer; NULL or unmapped is INVALID_PARAMETER. */
    public byte[] read(long pointer, int length) throws EfiException {
        byte[] out = new byte[length];
        transfer(pointer, length, (physical, offset, count) -> memory.slice(physical, count).get(out, offset, count));
        return out;
    }

    public void write(long pointer, byte[] bytes) throws EfiException {
        write(pointer, ByteBuffer.wrap(bytes));
    }

    /** Writes the bytes {@code src} has left at a guest pointer, and moves its position past them. */
    public void write(long pointer, ByteBuffer src) throws EfiException {
        int length = src.remaining();
        if (!guarded.isEmpty()) { // all pieces checked before any is written
            transfer(pointer, length, (physical, offset, count) -> {
                for (Guarded g : guarded) {
                    if (g.overlaps(physical, count)) {
                        throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(count)
                                + " bytes at 0x" + Long.toHexString(pointer + offset) + " would overwrite jgrub's "
                                + g.name());
                    }
                }
            });
        }
        int start = src.position();
        transfer(pointer, length, (physical, offset, count) ->
                memory.slice(physical, count).put(src.slice(start + offset, count)));
        src.position(start + length);
    }

    /** Fills {@code length} bytes at a guest pointer with {@code value} (SetMem). */
    public void fill(long pointer, long length, byte value) throws EfiException {
        long done = 0;
        byte[] chunk = new byte[(int) Math.min(length, 1 << 16)];
        java.util.Arrays.fill(chunk, value);
        while (done < length) {
            int count = (int) Math.min(chunk.length, length - done);
            write(pointer + done, count == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, count));
            done += count;
        }
    }

    public long readU64(long pointer) throws EfiException {
        return ByteBuffer.wrap(read(pointer, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int readU32(long pointer) throws EfiException {
        return ByteBuffer.wrap(read(pointer, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public void writeU64(long pointer, long value) throws EfiException {
        write(pointer, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    public void writeU32(long pointer, int value) throws EfiException {
        write(pointer, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    public EfiGuid readGuid(long pointer) throws EfiException {
        return EfiGuid.fromBytes(read(pointer, EfiGuid.SIZE));
    }

    /** A NUL-terminated UCS-2 string of at most {@code maxChars} characters. */
    public String readUcs2(long pointer, int maxChars) throws EfiException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < maxChars; i++) {
            byte[] unit = read(pointer + 2L * i, 2);
            char c = (char) ((unit[0] & 0xFF) | (unit[1] & 0xFF) << 8);
            if (c == 0) {
                return out.toString();
            }
            out.append(c);
        }
        throw new EfiException(EfiStatus.INVALID_PARAMETER, "string at 0x" + Long.toHexString(pointer)
                + " has no terminating NUL within " + maxChars + " characters");
    }

    /** Writes {@code text} as NUL-terminated UCS-2. */
    public void writeUcs2(long pointer, String text) throws EfiException {
        write(pointer, (text + "\0").getBytes(StandardCharsets.UTF_16LE));
    }

    private interface Chunk {
        void at(long physical, int offset, int count) throws EfiException;
    }

    /** Splits {@code [pointer, pointer + length)} at page boundaries, translating each piece. */
    private void transfer(long pointer, int length, Chunk chunk) throws EfiException {
        if (pointer == 0 && length > 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "NULL pointer");
        }
        if (length < 0 || pointer + length < pointer && pointer + length != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "range 0x" + Long.toHexString(pointer) + " + "
                    + length + " wraps around");
        }
        int done = 0;
        while (done < length) {
            long virtual = pointer + done;
            int count = (int) Math.min(length - done, PAGE - (virtual & (PAGE - 1)));
            if (cr3 == 0) {
                count = length - done; // identity: one piece
            }
            long physical = translate(virtual);
            if (!memory.isRam(physical, count)) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(count) + " bytes at 0x"
                        + Long.toHexString(virtual) + " are not guest RAM");
            }
            chunk.at(physical, done, count);
            done += count;
        }
    }
}
