package jgrub.efi;

/**
 * A service call that ends with an error status. Internal functions throw it; the dispatcher turns it into the
 * EFI_STATUS the guest receives, so no exception ever crosses into the guest.
 */
public final class EfiException extends Exception {

    private final long status;

    public EfiException(long status, String detail) {
        super(EfiStatus.name(status) + ": " + detail);
        this.status = status;
    }

    public long status() {
        return status;
    }
}
