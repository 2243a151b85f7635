package jgrub.config.eval;

/**
 * What a command returned: GRUB's error number and, for a failure, the message GRUB prints as
 * {@code error: MESSAGE.} (it prints nothing for {@link GrubError#TEST_FAILURE}, a plain false).
 */
public record Status(int code, String message) {

    public static final Status OK = new Status(0, null);

    public static Status error(GrubError error, String message) {
        return new Status(error.code(), message);
    }

    public boolean ok() {
        return code == 0;
    }
}
