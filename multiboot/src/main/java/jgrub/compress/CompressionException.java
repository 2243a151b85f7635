package jgrub.compress;

import jgrub.boot.BootException;

/** A gzip or xz file cannot be unpacked: corrupt, truncated, unsupported options, or larger than the limit. */
public class CompressionException extends BootException {

    public CompressionException(String message) {
        super(message);
    }

    public CompressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
