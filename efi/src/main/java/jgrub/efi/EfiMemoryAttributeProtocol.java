package jgrub.efi;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10 section 37.7), which the Linux EFI stub and GRUB 2.12 call to make their
 * code read-only and their data non-executable. jgrub records the attributes per page range and answers what was
 * recorded; it does not change the guest's page tables (the identity map the option ROM built stays RWX), which no
 * caller can tell from the protocol. Arguments are checked as EDK2's CpuDxe checks them: page-aligned, non-empty,
 * only EFI_MEMORY_RP, EFI_MEMORY_XP and EFI_MEMORY_RO; a range that is not RAM is UNSUPPORTED, and jgrub's own
 * service stubs and mailbox cannot be changed.
 */
final class EfiMemoryAttributeProtocol {

    static final long RP = 0x2000;
    static final long XP = 0x4000;
    static final long RO = 0x20000;
    private static final long ALLOWED = RP | XP | RO;

    private final EfiSystem efi;
    /** Where the attributes change: from each key on (until the next key) they are its value; 0 before the first. */
    private final TreeMap<Long, Long> changes = new TreeMap<>();
    private long instance;

    EfiMemoryAttributeProtocol(EfiSystem efi) {
        this.efi = efi;
    }

    void install() throws EfiException {
        instance = efi.installFunctions(EfiGuid.MEMORY_ATTRIBUTE, EfiService.MEMORY_GET_ATTRIBUTES,
                EfiService.MEMORY_SET_ATTRIBUTES, EfiService.MEMORY_CLEAR_ATTRIBUTES);
    }

    long call(EfiCall c) throws EfiException {
        if (c.arg(0) != instance) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's EFI_MEMORY_ATTRIBUTE_PROTOCOL");
        }
        long base = c.arg(1);
        long length = c.arg(2);
        long attributes = c.arg(3);
        return switch (c.service()) {
            case MEMORY_GET_ATTRIBUTES -> {
                EfiBootServices.requireNonNull(c.arg(3), "Attributes");
                checkRange(base, length);
                c.memory().writeU64(c.arg(3), attributes(base, base + length));
                yield EfiStatus.SUCCESS;
            }
            case MEMORY_SET_ATTRIBUTES -> change(base, length, attributes, a -> a | attributes);
            case MEMORY_CLEAR_ATTRIBUTES -> change(base, length, attributes, a -> a & ~attributes);
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    private void checkRange(long base, long length) throws EfiException {
        if (length == 0 || ((base | length) & (EfiMemoryMap.PAGE - 1)) != 0 || Long.compareUnsigned(base + length - 1, base) < 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "range 0x" + Long.toHexString(base) + " + 0x"
                    + Long.toHexString(length) + " (empty, unaligned or past the end of memory)");
        }
        if (!efi.memory.isRam(base, length)) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "range 0x" + Long.toHexString(base) + " + 0x"
                    + Long.toHexString(length) + " is not all RAM");
        }
    }

    private long change(long base, long length, long attributes, LongUnaryOperator how) throws EfiException {
        if (attributes == 0 || (attributes & ~ALLOWED) != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "Attributes 0x" + Long.toHexString(attributes));
        }
        checkRange(base, length);
        long end = base + length;
        if (base < efi.mailbox + EfiMemoryMap.PAGE && end > efi.stubCode) {
            throw new EfiException(EfiStatus.ACCESS_DENIED, "jgrub's service stubs and mailbox stay as they are");
        }
        long after = valueAt(end);
        TreeMap<Long, Long> inside = new TreeMap<>();
        inside.put(base, how.applyAsLong(valueAt(base)));
        for (Map.Entry<Long, Long> e : changes.subMap(base, false, end, false).entrySet()) {
            inside.put(e.getKey(), how.applyAsLong(e.getValue()));
        }
        changes.subMap(base, true, end, true).clear();
        changes.putAll(inside);
        changes.put(end, after);
        normalize();
        return EfiStatus.SUCCESS;
    }

    private long valueAt(long address) {
        Map.Entry<Long, Long> e = changes.floorEntry(address);
        return e == null ? 0 : e.getValue();
    }

    /** The attributes of [start, end): the same everywhere, else NO_MAPPING (they differ inside the range). */
    long attributes(long start, long end) throws EfiException {
        long value = valueAt(start);
        for (long v : changes.subMap(start, false, end, false).values()) {
            if (v != value) {
                throw new EfiException(EfiStatus.NO_MAPPING, "the attributes differ within 0x" + Long.toHexString(start)
                        + "-0x" + Long.toHexString(end));
            }
        }
        return value;
    }

    /** Drops change points that change nothing, so the map stays as small as the ranges set. */
    private void normalize() {
        long previous = 0;
        for (var it = changes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            if (e.getValue() == previous) {
                it.remove();
            } else {
                previous = e.getValue();
            }
        }
    }
}
