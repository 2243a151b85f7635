package jgrub.efi;

/**
 * One call from the guest as the stub trampoline recorded it: the service, the four register arguments and the stack
 * pointer (Microsoft x64 calling convention: arguments 5 and on at RSP + 0x28 + 8 * (n - 5), above the return address
 * and the 32-byte shadow space), and the caller's view of memory.
 */
public record EfiCall(EfiService service, long rcx, long rdx, long r8, long r9, long rsp, GuestPointers memory) {

    /** Argument {@code index}, counting from 0. */
    public long arg(int index) throws EfiException {
        return switch (index) {
            case 0 -> rcx;
            case 1 -> rdx;
            case 2 -> r8;
            case 3 -> r9;
            default -> memory.readU64(rsp + 0x28 + 8L * (index - 4));
        };
    }
}
