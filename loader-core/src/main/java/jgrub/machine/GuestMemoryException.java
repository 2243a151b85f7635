package jgrub.machine;

/** An address range that is not guest RAM: a loader's mistake, or a wild pointer from guest code. */
public class GuestMemoryException extends Exception {

    public GuestMemoryException(String message) {
        super(message);
    }
}
