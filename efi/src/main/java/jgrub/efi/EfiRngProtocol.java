package jgrub.efi;

import java.security.SecureRandom;

/**
 * EFI_RNG_PROTOCOL (UEFI 2.10 section 37.5) on the host's {@link SecureRandom}: the Linux EFI stub seeds its random
 * pool and KASLR from it, and iPXE and GRUB 2.12 look for it. One algorithm is offered, EFI_RNG_ALGORITHM_RAW, which
 * is also the default (RNGAlgorithm NULL). Checks follow EDK2's RngDxe.
 */
final class EfiRngProtocol {

    static final EfiGuid ALGORITHM_RAW = EfiGuid.parse("E43176D7-B6E8-4827-B784-7FFDC4B68561");
    /** Most bytes one GetRNG call fills: far more than any key or seed, far less than a wild length. */
    static final long MAX_LENGTH = 1L << 24;

    private final EfiSystem efi;
    private final SecureRandom random = new SecureRandom();
    private long instance;

    EfiRngProtocol(EfiSystem efi) {
        this.efi = efi;
    }

    /** A handle of its own with the protocol, as EDK2's RngDxe installs it. */
    void install() throws EfiException {
        instance = efi.installFunctions(EfiGuid.RNG, EfiService.RNG_GET_INFO, EfiService.RNG_GET_RNG);
    }

    long call(EfiCall c) throws EfiException {
        if (c.arg(0) != instance) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's EFI_RNG_PROTOCOL");
        }
        return switch (c.service()) {
            case RNG_GET_INFO -> getInfo(c.memory(), c.arg(1), c.arg(2));
            case RNG_GET_RNG -> getRng(c.memory(), c.arg(1), c.arg(2), c.arg(3));
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    /** GetInfo: the size of the algorithm list first (BUFFER_TOO_SMALL), then the list. */
    private long getInfo(GuestPointers m, long sizePointer, long list) throws EfiException {
        EfiBootServices.requireNonNull(sizePointer, "RNGAlgorithmListSize");
        long available = m.readU64(sizePointer);
        m.writeU64(sizePointer, EfiGuid.SIZE);
        if (Long.compareUnsigned(available, EfiGuid.SIZE) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        EfiBootServices.requireNonNull(list, "RNGAlgorithmList");
        m.write(list, ALGORITHM_RAW.toBytes());
        return EfiStatus.SUCCESS;
    }

    /** GetRNG: RNGValueLength random bytes at RNGValue, by the raw algorithm or the default (also raw). */
    private long getRng(GuestPointers m, long algorithm, long length, long value) throws EfiException {
        if (length == 0 || Long.compareUnsigned(length, MAX_LENGTH) > 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "RNGValueLength " + Long.toUnsignedString(length));
        }
        EfiBootServices.requireNonNull(value, "RNGValue");
        if (algorithm != 0) {
            EfiGuid asked = m.readGuid(algorithm);
            if (!asked.equals(ALGORITHM_RAW)) {
                throw new EfiException(EfiStatus.UNSUPPORTED, "RNG algorithm " + asked);
            }
        }
        m.write(value + length - 1, new byte[1]); // the whole buffer is the caller's before any byte is written
        byte[] chunk = new byte[(int) Math.min(length, 1 << 16)];
        for (long done = 0; done < length; done += chunk.length) {
            if (length - done < chunk.length) {
                chunk = new byte[(int) (length - done)];
            }
            random.nextBytes(chunk);
            m.write(value + done, chunk);
        }
        return EfiStatus.SUCCESS;
    }
}
