package jgrub.boot;

/**
 * A linear framebuffer in guest RAM that the machine's display shows: {@code height} lines of {@code stride} bytes at
 * {@code base}, 32 bits a pixel, blue in the lowest byte, then green, red and an unused byte (UEFI 2.10 section 12.9,
 * PixelBlueGreenRedReserved8BitPerColor; DRM's XRGB8888).
 */
public record Framebuffer(long base, int width, int height, int stride) {

    public static final int BYTES_PER_PIXEL = 4;

    public Framebuffer {
        if (base < 0 || width <= 0 || height <= 0 || stride < width * BYTES_PER_PIXEL) {
            throw new IllegalArgumentException("framebuffer " + width + "x" + height + " stride " + stride + " at 0x"
                    + Long.toHexString(base));
        }
    }

    /** Bytes from the base to the end of the last line. */
    public long size() {
        return (long) stride * height;
    }

    public long end() {
        return base + size();
    }
}
