package jgrub.config.eval;

/**
 * GRUB's error numbers (include/grub/err.h, GRUB 2.06), which a script sees in {@code $?}. Only the first few are
 * named here; the number is what matters.
 */
public enum GrubError {
    NONE(0), TEST_FAILURE(1), BAD_MODULE(2), OUT_OF_MEMORY(3), BAD_FILE_TYPE(4), FILE_NOT_FOUND(5),
    FILE_READ_ERROR(6), BAD_FILENAME(7), UNKNOWN_FS(8), BAD_FS(9), BAD_NUMBER(10), OUT_OF_RANGE(11),
    UNKNOWN_DEVICE(12), BAD_DEVICE(13), READ_ERROR(14), WRITE_ERROR(15), UNKNOWN_COMMAND(16), INVALID_COMMAND(17),
    BAD_ARGUMENT(18), BAD_PART_TABLE(19), UNKNOWN_OS(20), BAD_OS(21), NO_KERNEL(22), BAD_FONT(23),
    NOT_IMPLEMENTED_YET(24), SYMLINK_LOOP(25), BAD_COMPRESSED_DATA(26), MENU(27), TIMEOUT(28), IO(29),
    ACCESS_DENIED(30), EXTRACTOR(31);

    private final int code;

    GrubError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
