package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import jgrub.boot.Framebuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * EFI_GRAPHICS_OUTPUT_PROTOCOL as a guest finds and calls it: the Mode, QueryMode, SetMode and Blt's four
 * operations with good and wild arguments, on a 64x48 framebuffer whose lines are longer than its pixels.
 */
class EfiGraphicsOutputTest {

    static final Framebuffer FRAMEBUFFER = new Framebuffer(0x3000000, 64, 48, 64 * 4 + 32);
    static final int FILL = 0, VIDEO_TO_BUFFER = 1, BUFFER_TO_VIDEO = 2, VIDEO_TO_VIDEO = 3;

    private final EfiHarness h;
    private final long gop;

    EfiGraphicsOutputTest() throws EfiException {
        h = new EfiHarness(Optional.of(FRAMEBUFFER));
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_PROTOCOL, h.guid(EfiGuid.GRAPHICS_OUTPUT), 0, out));
        gop = h.readU64(out);
    }

    private long blt(long buffer, int operation, long sx, long sy, long dx, long dy, long width, long height,
            long delta) throws EfiException {
        return h.call(EfiService.GOP_BLT, gop, buffer, operation, sx, sy, dx, dy, width, height, delta);
    }

    /** The framebuffer pixel at (x, y) as the little-endian word B, G, R, x. */
    private int pixel(int x, int y) throws EfiException {
        return h.memory.slice(FRAMEBUFFER.base() + (long) y * FRAMEBUFFER.stride() + 4L * x, 4).getInt(0);
    }

    private long pixels(int... values) throws EfiException {
        long at = h.alloc(4 * values.length);
        ByteBuffer b = h.memory.slice(at, 4 * values.length);
        for (int i = 0; i < values.length; i++) {
            b.putInt(4 * i, values[i]);
        }
        return at;
    }

    @Test
    void mode_describesTheOneModeAndTheFramebuffer() throws Exception {
        long mode = h.readU64(gop + EfiGraphicsOutput.PROTOCOL_MODE);
        ByteBuffer m = h.memory.slice(mode, EfiGraphicsOutput.MODE_SIZE);
        assertEquals(1, m.getInt(EfiGraphicsOutput.MODE_MAX_MODE));
        assertEquals(0, m.getInt(EfiGraphicsOutput.MODE_MODE));
        assertEquals(EfiGraphicsOutput.INFO_SIZE, m.getLong(EfiGraphicsOutput.MODE_SIZE_OF_INFO));
        assertEquals(FRAMEBUFFER.base(), m.getLong(EfiGraphicsOutput.MODE_FRAME_BUFFER_BASE));
        assertEquals(FRAMEBUFFER.size(), m.getLong(EfiGraphicsOutput.MODE_FRAME_BUFFER_SIZE));
        ByteBuffer info = h.memory.slice(m.getLong(EfiGraphicsOutput.MODE_INFO), EfiGraphicsOutput.INFO_SIZE);
        assertEquals(64, info.getInt(EfiGraphicsOutput.INFO_HORIZONTAL));
        assertEquals(48, info.getInt(EfiGraphicsOutput.INFO_VERTICAL));
        assertEquals(EfiGraphicsOutput.PIXEL_BLUE_GREEN_RED_RESERVED_8BIT,
                info.getInt(EfiGraphicsOutput.INFO_PIXEL_FORMAT));
        assertEquals(72, info.getInt(EfiGraphicsOutput.INFO_PIXELS_PER_SCAN_LINE));
    }

    @Test
    void framebuffer_isReservedInTheMemoryMap_andLocateHandleFindsTheProtocol() throws Exception {
        assertTrue(h.efi.memoryMap().isType(FRAMEBUFFER.base(), FRAMEBUFFER.end(), EfiMemoryType.RESERVED.code()));
        long size = h.u64(64);
        long handles = h.alloc(64);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_HANDLE, 2, h.guid(EfiGuid.GRAPHICS_OUTPUT), 0, size,
                handles));
        assertEquals(8, h.readU64(size), "one handle");
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, h.readU64(handles),
                h.guid(EfiGuid.GRAPHICS_OUTPUT), out));
        assertEquals(gop, h.readU64(out));
    }

    @Test
    void queryMode_copiesTheInformationIntoPool_andRefusesOtherModesAndWildPointers() throws Exception {
        long size = h.u64(0);
        long info = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GOP_QUERY_MODE, gop, 0, size, info));
        assertEquals(EfiGraphicsOutput.INFO_SIZE, h.readU64(size));
        long copy = h.readU64(info);
        assertEquals(64, h.guest.readU32(copy + EfiGraphicsOutput.INFO_HORIZONTAL));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FREE_POOL, copy), "the caller frees it");
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.GOP_QUERY_MODE, gop, 1, size, info));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GOP_QUERY_MODE, gop, 0, 0, info));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GOP_QUERY_MODE, gop, 0, size, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GOP_QUERY_MODE, gop, 0, size,
                EfiHarness.RAM + 8L));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GOP_QUERY_MODE, gop + 8, 0, size, info),
                "wrong This");
    }

    @Test
    void setMode_clearsToBlack_andRefusesOtherModes() throws Exception {
        assertEquals(EfiStatus.SUCCESS, blt(pixels(0x00ffffff), FILL, 0, 0, 0, 0, 64, 48, 0));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GOP_SET_MODE, gop, 0));
        assertEquals(0, pixel(0, 0));
        assertEquals(0, pixel(63, 47));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.GOP_SET_MODE, gop, 1));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.GOP_SET_MODE, gop, -1));
    }

    @Test
    void videoFill_paintsTheRectangleOnly() throws Exception {
        assertEquals(EfiStatus.SUCCESS, blt(pixels(0x00123456), FILL, 99, 99, 10, 20, 5, 3, 0));
        assertEquals(0x00123456, pixel(10, 20));
        assertEquals(0x00123456, pixel(14, 22));
        assertEquals(0, pixel(15, 22));
        assertEquals(0, pixel(10, 23));
        assertEquals(0, pixel(9, 20));
    }

    @Test
    void bufferToVideo_andBack_withAndWithoutDelta() throws Exception {
        // A 3x2 picture inside a 4-pixel-wide buffer, taken from (1, 0) of the buffer.
        long buffer = pixels(9, 1, 2, 3, 9, 4, 5, 6);
        assertEquals(EfiStatus.SUCCESS, blt(buffer, BUFFER_TO_VIDEO, 1, 0, 61, 46, 3, 2, 16));
        assertEquals(1, pixel(61, 46));
        assertEquals(3, pixel(63, 46));
        assertEquals(6, pixel(63, 47));
        long back = h.alloc(24);
        assertEquals(EfiStatus.SUCCESS, blt(back, VIDEO_TO_BUFFER, 61, 46, 0, 0, 3, 2, 0));
        assertArrayEquals(h.guest.read(pixels(1, 2, 3, 4, 5, 6), 24), h.guest.read(back, 24));
    }

    @Test
    void videoToVideo_copiesOverlappingRectangles_asIfThroughABuffer() throws Exception {
        assertEquals(EfiStatus.SUCCESS, blt(pixels(1, 2, 3, 4), BUFFER_TO_VIDEO, 0, 0, 0, 0, 4, 1, 0));
        assertEquals(EfiStatus.SUCCESS, blt(0, VIDEO_TO_VIDEO, 0, 0, 1, 0, 4, 1, 0));
        assertEquals(1, pixel(0, 0));
        assertEquals(1, pixel(1, 0));
        assertEquals(2, pixel(2, 0));
        assertEquals(4, pixel(4, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unknown operation,            4,  0,  0,  0,  0,  1,  1, 0",
        "no width,                     0,  0,  0,  0,  0,  0,  1, 0",
        "no height,                    2,  0,  0,  0,  0,  1,  0, 0",
        "fill past the right edge,     0,  0,  0, 60,  0,  5,  1, 0",
        "fill past the bottom,         0,  0,  0,  0, 47,  1,  2, 0",
        "destination x beyond,         2,  0,  0, 64,  0,  1,  1, 0",
        "width that wraps,             2,  0,  0,  8,  0, -1,  1, 0",
        "source past the right edge,   1, 63,  0,  0,  0,  2,  1, 0",
        "source y beyond,              3,  0, 48,  0,  0,  1,  1, 0",
        "copy destination beyond,      3,  0,  0,  0, 48,  1,  1, 0",
        "delta shorter than a row,     2,  0,  0,  0,  0,  4,  2, 8",
        "buffer x that overflows,      2, -1,  0,  0,  0,  1,  1, 0",
        "buffer y beyond the space,    1,  0,  0,  0, -9,  1,  1, 0",
        "buffer row that overflows,    2,  0, 140737488355327, 0, 0, 1, 1, 2147483647",
    })
    void blt_refusesRectanglesOffTheScreen_andBufferArithmeticThatOverflows(String name, int operation, long sx,
            long sy, long dx, long dy, long width, long height, long delta) throws Exception {
        long buffer = h.alloc(64);
        h.guest.write(buffer, new byte[64]);
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(buffer, operation, sx, sy, dx, dy, width, height, delta), name);
    }

    @Test
    void blt_refusesWildBuffers_beforeAnyPixelMoves() throws Exception {
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(0, FILL, 0, 0, 0, 0, 1, 1, 0), "NULL fill pixel");
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(EfiHarness.RAM + 4L, FILL, 0, 0, 0, 0, 1, 1, 0));
        // The buffer's first row is RAM, its second is not: nothing reaches the screen.
        long lastPage = EfiHarness.RAM - 16L;
        h.guest.write(lastPage, new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(lastPage, BUFFER_TO_VIDEO, 0, 0, 0, 0, 4, 2, 0));
        assertEquals(0, pixel(0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(lastPage, VIDEO_TO_BUFFER, 0, 0, 0, 0, 4, 2, 0));
        assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, h.guest.read(lastPage, 16),
                "no row written when a later one is wild");
        assertEquals(EfiStatus.INVALID_PARAMETER, blt(0x7fff_ffff_ffff_f000L, VIDEO_TO_BUFFER, 0, 0, 0, 0, 1, 1, 0));
    }

    @Test
    void withoutADisplay_thereIsNoGraphicsOutput() throws Exception {
        EfiHarness plain = new EfiHarness();
        long out = plain.u64(0);
        assertEquals(EfiStatus.NOT_FOUND, plain.call(EfiService.LOCATE_PROTOCOL, plain.guid(EfiGuid.GRAPHICS_OUTPUT),
                0, out));
    }
}
