package jgrub.config.eval;

/**
 * GRUB's grub_strtoul (grub-core/kern/misc.c, GRUB 2.06, x86_64: unsigned long is 64 bits), the one way a number in a
 * command's arguments is read here: every input reads, none throws. Each command then does with {@link #end} and
 * {@link #error} what its GRUB source does, which differs from command to command (see its callers).
 *
 * @param value the number as an unsigned 64-bit value; all ones on overflow, 0 when there are no digits
 * @param end   the index of the first character not read (GRUB's {@code *end}): where the digits stop, the digit
 *              that overflowed, or the first character after blanks and prefix when there are no digits
 * @param error what GRUB's grub_errno becomes: {@link Status#OK}, "unrecognized number" (no digits) or "overflow is
 *              detected" (more than 64 bits)
 */
record Strtoul(long value, int end, Status error) {

    static final Status UNRECOGNIZED = Status.error(GrubError.BAD_NUMBER, "unrecognized number");
    static final Status OVERFLOW = Status.error(GrubError.OUT_OF_RANGE, "overflow is detected");

    /** Reads {@code s} from its start in {@code base} (0: {@code 0x} hex, leading-0 octal, else decimal). */
    static Strtoul parse(String s, int base) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        if (s.startsWith("0x", i) && (base == 0 || base == 16)) {
            base = 16;
            i += 2;
        } else if (base == 0 && i + 1 < s.length() && s.charAt(i) == '0' && s.charAt(i + 1) >= '0'
                && s.charAt(i + 1) <= '7') {
            base = 8;
        } else if (base == 0) {
            base = 10;
        }
        long num = 0;
        boolean found = false;
        for (; i < s.length(); i++) {
            int digit = Character.digit(s.charAt(i), base);
            if (digit < 0 || s.charAt(i) > 'z') {
                break;
            }
            found = true;
            // num * base + digit > 2^64 - 1
            if (Long.compareUnsigned(num, Long.divideUnsigned(-1L - digit, base)) > 0) {
                return new Strtoul(-1L, i, OVERFLOW);
            }
            num = num * base + digit;
        }
        return found ? new Strtoul(num, i, Status.OK) : new Strtoul(0, i, UNRECOGNIZED);
    }

    /** Whether every character was read: GRUB's {@code *end == '\0'}. */
    boolean readAll(String s) {
        return end == s.length();
    }

    /** The value as C converts an unsigned long to an int (grub_err_t, a command's return value): its low 32 bits. */
    int asInt() {
        return (int) value;
    }

    /** grub_isspace. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
