package jgrub.boot;

/** A boot cannot go on: the image, a module or the placement is wrong. The message is one line for the user. */
public class BootException extends Exception {

    public BootException(String message) {
        super(message);
    }

    public BootException(String message, Throwable cause) {
        super(message, cause);
    }
}
