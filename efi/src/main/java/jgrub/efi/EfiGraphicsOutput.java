package jgrub.efi;

import java.nio.ByteBuffer;
import jgrub.boot.Framebuffer;

/**
 * EFI_GRAPHICS_OUTPUT_PROTOCOL (UEFI 2.10 section 12.9) on the machine's display, a linear framebuffer in guest RAM
 * (QEMU's ramfb): one mode, the framebuffer's, PixelBlueGreenRedReserved8BitPerColor, as OVMF's QemuRamfbDxe offers.
 * Programs that draw themselves (memtest86+, Linux's efifb, GRUB's gfxterm) take FrameBufferBase from the Mode; Blt
 * is served here, where an EFI_GRAPHICS_OUTPUT_BLT_PIXEL (Blue, Green, Red, Reserved) is a framebuffer pixel as it
 * is. Every rectangle is checked against the mode and every buffer row against guest RAM before a pixel moves.
 */
final class EfiGraphicsOutput {

    /** EFI_GRAPHICS_OUTPUT_PROTOCOL: QueryMode, SetMode, Blt, then Mode. */
    static final int PROTOCOL_SIZE = 32;
    static final int PROTOCOL_MODE = 24;
    /** EFI_GRAPHICS_OUTPUT_PROTOCOL_MODE: MaxMode, Mode (UINT32), Info, SizeOfInfo, FrameBufferBase, FrameBufferSize. */
    static final int MODE_SIZE = 40;
    static final int MODE_MAX_MODE = 0;
    static final int MODE_MODE = 4;
    static final int MODE_INFO = 8;
    static final int MODE_SIZE_OF_INFO = 16;
    static final int MODE_FRAME_BUFFER_BASE = 24;
    static final int MODE_FRAME_BUFFER_SIZE = 32;
    /**
     * EFI_GRAPHICS_OUTPUT_MODE_INFORMATION: Version, HorizontalResolution, VerticalResolution, PixelFormat,
     * PixelInformation (four UINT32 masks), PixelsPerScanLine.
     */
    static final int INFO_SIZE = 36;
    static final int INFO_HORIZONTAL = 4;
    static final int INFO_VERTICAL = 8;
    static final int INFO_PIXEL_FORMAT = 12;
    static final int INFO_PIXELS_PER_SCAN_LINE = 32;
    static final int PIXEL_BLUE_GREEN_RED_RESERVED_8BIT = 1;
    static final int PIXEL = Framebuffer.BYTES_PER_PIXEL;

    /** EFI_GRAPHICS_OUTPUT_BLT_OPERATION. */
    enum BltOperation { VIDEO_FILL, VIDEO_TO_BLT_BUFFER, BUFFER_TO_VIDEO, VIDEO_TO_VIDEO }

    private final EfiSystem efi;
    private final Framebuffer framebuffer;
    private long instance;

    EfiGraphicsOutput(EfiSystem efi, Framebuffer framebuffer) {
        this.efi = efi;
        this.framebuffer = framebuffer;
    }

    /**
     * Puts the protocol on a handle of its own, with its Mode and mode information; {@link EfiSystem#install} has
     * reserved the framebuffer in the memory map.
     */
    long install() throws EfiException {
        long info = efi.bootArena.allocate(INFO_SIZE);
        writeInfo(efi.memory.slice(info, INFO_SIZE));
        long mode = efi.bootArena.allocate(MODE_SIZE);
        efi.memory.slice(mode, MODE_SIZE).putInt(MODE_MAX_MODE, 1).putInt(MODE_MODE, 0).putLong(MODE_INFO, info)
                .putLong(MODE_SIZE_OF_INFO, INFO_SIZE).putLong(MODE_FRAME_BUFFER_BASE, framebuffer.base())
                .putLong(MODE_FRAME_BUFFER_SIZE, framebuffer.size());
        instance = efi.bootArena.allocate(PROTOCOL_SIZE);
        ByteBuffer p = efi.memory.slice(instance, PROTOCOL_SIZE);
        int at = 0;
        for (EfiService s : EfiService.of(EfiService.Table.GRAPHICS_OUTPUT)) {
            p.putLong(at, efi.entry(s));
            at += 8;
        }
        p.putLong(PROTOCOL_MODE, mode);
        efi.handles.install(efi.handles.create(), EfiGuid.GRAPHICS_OUTPUT, instance);
        return instance;
    }

    private void writeInfo(ByteBuffer info) {
        info.putInt(0, 0).putInt(INFO_HORIZONTAL, framebuffer.width()).putInt(INFO_VERTICAL, framebuffer.height())
                .putInt(INFO_PIXEL_FORMAT, PIXEL_BLUE_GREEN_RED_RESERVED_8BIT)
                .putInt(INFO_PIXELS_PER_SCAN_LINE, framebuffer.stride() / PIXEL);
    }

    long call(EfiCall c) throws EfiException {
        if (c.arg(0) != instance) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's EFI_GRAPHICS_OUTPUT_PROTOCOL");
        }
        return switch (c.service()) {
            case GOP_QUERY_MODE -> queryMode(c.memory(), c.arg(1), c.arg(2), c.arg(3));
            case GOP_SET_MODE -> setMode(c.arg(1));
            case GOP_BLT -> blt(c.memory(), c.arg(1), c.arg(2), new Rectangle(c.arg(3), c.arg(4), c.arg(5),
                    c.arg(6), c.arg(7), c.arg(8)), c.arg(9));
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    /** QueryMode: a copy of the mode's information in pool memory the caller frees. */
    long queryMode(GuestPointers m, long modeNumber, long sizeOfInfo, long infoPointer) throws EfiException {
        requireMode(modeNumber);
        EfiBootServices.requireNonNull(sizeOfInfo, "SizeOfInfo");
        EfiBootServices.requireNonNull(infoPointer, "Info");
        m.writeU64(sizeOfInfo, 0); // both pointers are the caller's before pool memory is taken
        m.writeU64(infoPointer, 0);
        long info = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), INFO_SIZE);
        writeInfo(efi.memory.slice(info, INFO_SIZE));
        m.writeU64(sizeOfInfo, INFO_SIZE);
        m.writeU64(infoPointer, info);
        return EfiStatus.SUCCESS;
    }

    /** SetMode: the one mode; the screen is cleared to black, as section 12.9 asks. */
    long setMode(long modeNumber) throws EfiException {
        requireMode(modeNumber);
        byte[] black = new byte[framebuffer.width() * PIXEL];
        for (int y = 0; y < framebuffer.height(); y++) {
            efi.memory.slice(framebuffer.base() + (long) y * framebuffer.stride(), black.length).put(black);
        }
        return EfiStatus.SUCCESS;
    }

    private static void requireMode(long modeNumber) throws EfiException {
        if (modeNumber != 0) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "mode " + Long.toUnsignedString(modeNumber)
                    + ": there is one, mode 0");
        }
    }

    /** Blt's coordinates as the guest passed them (UINTN each). */
    record Rectangle(long sourceX, long sourceY, long destinationX, long destinationY, long width, long height) {
    }

    /**
     * Blt, the four operations. The video rectangle must lie within the mode; the BltBuffer rows (Delta bytes apart,
     * 0 meaning Width pixels) must be guest RAM. Rows are read before any is written.
     */
    long blt(GuestPointers m, long buffer, long operation, Rectangle r, long delta) throws EfiException {
        if (Long.compareUnsigned(operation, BltOperation.values().length) >= 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "BltOperation " + Long.toUnsignedString(operation));
        }
        BltOperation op = BltOperation.values()[(int) operation];
        if (r.width() == 0 || r.height() == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "Width " + r.width() + ", Height " + r.height());
        }
        // The video side first: it bounds Width and Height, so the buffer arithmetic below cannot overflow an int.
        switch (op) {
            case VIDEO_FILL, BUFFER_TO_VIDEO -> requireOnScreen("Destination", r.destinationX(), r.destinationY(), r);
            case VIDEO_TO_BLT_BUFFER -> requireOnScreen("Source", r.sourceX(), r.sourceY(), r);
            case VIDEO_TO_VIDEO -> {
                requireOnScreen("Source", r.sourceX(), r.sourceY(), r);
                requireOnScreen("Destination", r.destinationX(), r.destinationY(), r);
            }
        }
        int width = (int) r.width();
        int height = (int) r.height();
        int rowBytes = width * PIXEL;
        long stride = delta == 0 ? rowBytes : delta;
        switch (op) {
            case VIDEO_FILL -> {
                EfiBootServices.requireNonNull(buffer, "BltBuffer");
                byte[] pixel = m.read(buffer, PIXEL);
                byte[] row = new byte[rowBytes];
                for (int x = 0; x < width; x++) {
                    System.arraycopy(pixel, 0, row, x * PIXEL, PIXEL);
                }
                for (int y = 0; y < height; y++) {
                    video((int) r.destinationX(), (int) r.destinationY() + y, rowBytes).put(row);
                }
            }
            case VIDEO_TO_BLT_BUFFER -> {
                EfiBootServices.requireNonNull(buffer, "BltBuffer");
                long[] rows = bufferRows(buffer, r.destinationX(), r.destinationY(), height, stride, rowBytes);
                byte[][] pixels = new byte[height][rowBytes];
                for (int y = 0; y < height; y++) {
                    video((int) r.sourceX(), (int) r.sourceY() + y, rowBytes).get(pixels[y]);
                }
                for (int y = 0; y < height; y++) {
                    m.read(rows[y], rowBytes); // every row must be guest RAM before any is written
                }
                for (int y = 0; y < height; y++) {
                    m.write(rows[y], pixels[y]);
                }
            }
            case BUFFER_TO_VIDEO -> {
                EfiBootServices.requireNonNull(buffer, "BltBuffer");
                long[] rows = bufferRows(buffer, r.sourceX(), r.sourceY(), height, stride, rowBytes);
                byte[][] pixels = new byte[height][];
                for (int y = 0; y < height; y++) {
                    pixels[y] = m.read(rows[y], rowBytes);
                }
                for (int y = 0; y < height; y++) {
                    video((int) r.destinationX(), (int) r.destinationY() + y, rowBytes).put(pixels[y]);
                }
            }
            case VIDEO_TO_VIDEO -> {
                byte[][] pixels = new byte[height][rowBytes]; // read all first: the rectangles may overlap
                for (int y = 0; y < height; y++) {
                    video((int) r.sourceX(), (int) r.sourceY() + y, rowBytes).get(pixels[y]);
                }
                for (int y = 0; y < height; y++) {
                    video((int) r.destinationX(), (int) r.destinationY() + y, rowBytes).put(pixels[y]);
                }
            }
        }
        return EfiStatus.SUCCESS;
    }

    /** [x, x + Width) x [y, y + Height) must lie within the mode (EDK2's GraphicsOutputBlt answers so too). */
    private void requireOnScreen(String which, long x, long y, Rectangle r) throws EfiException {
        if (Long.compareUnsigned(x, framebuffer.width()) >= 0 || Long.compareUnsigned(y, framebuffer.height()) >= 0
                || Long.compareUnsigned(r.width(), framebuffer.width() - x) > 0
                || Long.compareUnsigned(r.height(), framebuffer.height() - y) > 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, which + " rectangle " + Long.toUnsignedString(x)
                    + "," + Long.toUnsignedString(y) + " " + Long.toUnsignedString(r.width()) + "x"
                    + Long.toUnsignedString(r.height()) + " is not within the " + framebuffer.width() + "x"
                    + framebuffer.height() + " mode");
        }
    }

    /** Guest addresses of the BltBuffer rows at (x, y), {@code stride} bytes apart; a sum that overflows is refused. */
    private static long[] bufferRows(long buffer, long x, long y, int height, long stride, int rowBytes)
            throws EfiException {
        long[] rows = new long[height];
        try {
            if (Long.compareUnsigned(stride, Integer.MAX_VALUE) > 0 || stride < rowBytes) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "Delta " + Long.toUnsignedString(stride)
                        + " with Width of " + rowBytes / PIXEL + " pixels");
            }
            long offsetX = Math.multiplyExact(x, PIXEL);
            for (int i = 0; i < height; i++) {
                long row = Math.addExact(Math.multiplyExact(Math.addExact(y, i), stride), offsetX);
                rows[i] = Math.addExact(buffer, row);
                if (x < 0 || y < 0 || rows[i] < 0) {
                    throw new ArithmeticException();
                }
            }
        } catch (ArithmeticException e) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "BltBuffer 0x" + Long.toHexString(buffer) + " at "
                    + Long.toUnsignedString(x) + "," + Long.toUnsignedString(y) + " with Delta "
                    + Long.toUnsignedString(stride) + " is beyond the address space");
        }
        return rows;
    }

    /** The framebuffer bytes of {@code length} at pixel (x, y), which the caller has checked is on screen. */
    private ByteBuffer video(int x, int y, int length) throws EfiException {
        return efi.memory.slice(framebuffer.base() + (long) y * framebuffer.stride() + (long) x * PIXEL, length);
    }
}
