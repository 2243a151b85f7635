package jgrub.efi;

/** EFI_STATUS codes (UEFI 2.10 appendix D); errors have the high bit set. */
public final class EfiStatus {

    private EfiStatus() {
    }

    private static final long ERROR = 0x8000000000000000L;

    public static final long SUCCESS = 0;
    public static final long LOAD_ERROR = ERROR | 1;
    public static final long INVALID_PARAMETER = ERROR | 2;
    public static final long UNSUPPORTED = ERROR | 3;
    public static final long BAD_BUFFER_SIZE = ERROR | 4;
    public static final long BUFFER_TOO_SMALL = ERROR | 5;
    public static final long NOT_READY = ERROR | 6;
    public static final long DEVICE_ERROR = ERROR | 7;
    public static final long WRITE_PROTECTED = ERROR | 8;
    public static final long OUT_OF_RESOURCES = ERROR | 9;
    public static final long VOLUME_CORRUPTED = ERROR | 10;
    public static final long VOLUME_FULL = ERROR | 11;
    public static final long NO_MEDIA = ERROR | 12;
    public static final long MEDIA_CHANGED = ERROR | 13;
    public static final long NOT_FOUND = ERROR | 14;
    public static final long ACCESS_DENIED = ERROR | 15;
    public static final long NO_RESPONSE = ERROR | 16;
    public static final long NO_MAPPING = ERROR | 17;
    public static final long TIMEOUT = ERROR | 18;
    public static final long NOT_STARTED = ERROR | 19;
    public static final long ALREADY_STARTED = ERROR | 20;
    public static final long ABORTED = ERROR | 21;
    public static final long END_OF_FILE = ERROR | 31;
    public static final long INVALID_LANGUAGE = ERROR | 32;
    public static final long SECURITY_VIOLATION = ERROR | 26;

    public static boolean isError(long status) {
        return status < 0;
    }

    /** The specification's name of a status, for traces and messages. */
    public static String name(long status) {
        if (status == SUCCESS) {
            return "EFI_SUCCESS";
        }
        if (!isError(status)) {
            return "EFI_WARNING(" + status + ")";
        }
        return switch ((int) (status & ~ERROR)) {
            case 1 -> "EFI_LOAD_ERROR";
            case 2 -> "EFI_INVALID_PARAMETER";
            case 3 -> "EFI_UNSUPPORTED";
            case 4 -> "EFI_BAD_BUFFER_SIZE";
            case 5 -> "EFI_BUFFER_TOO_SMALL";
            case 6 -> "EFI_NOT_READY";
            case 7 -> "EFI_DEVICE_ERROR";
            case 8 -> "EFI_WRITE_PROTECTED";
            case 9 -> "EFI_OUT_OF_RESOURCES";
            case 10 -> "EFI_VOLUME_CORRUPTED";
            case 11 -> "EFI_VOLUME_FULL";
            case 12 -> "EFI_NO_MEDIA";
            case 13 -> "EFI_MEDIA_CHANGED";
            case 14 -> "EFI_NOT_FOUND";
            case 15 -> "EFI_ACCESS_DENIED";
            case 16 -> "EFI_NO_RESPONSE";
            case 17 -> "EFI_NO_MAPPING";
            case 18 -> "EFI_TIMEOUT";
            case 19 -> "EFI_NOT_STARTED";
            case 20 -> "EFI_ALREADY_STARTED";
            case 21 -> "EFI_ABORTED";
            case 26 -> "EFI_SECURITY_VIOLATION";
            case 31 -> "EFI_END_OF_FILE";
            case 32 -> "EFI_INVALID_LANGUAGE";
            default -> "EFI_ERROR(" + (status & ~ERROR) + ")";
        };
    }
}
