package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jgrub.boot.Contents;
import org.junit.jupiter.api.Test;

/**
 * The Linux initrd through EFI_LOAD_FILE2_PROTOCOL (UEFI 2.10 section 13.2) called as Linux's EFI stub calls it
 * (drivers/firmware/efi/libstub/efi-stub-helper.c, efi_load_initrd_dev_path): LocateDevicePath finds the handle by
 * the LINUX_EFI_INITRD_MEDIA vendor node, LoadFile with no buffer asks the size, LoadFile with a buffer fills it.
 */
class EfiLoadFile2Test {

    private static final byte[] INITRD = initrd(0x12345);

    private static byte[] initrd(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** A harness with the initrd installed; returns {harness handle, LoadFile2 interface}. */
    private static long[] install(EfiHarness h) throws EfiException {
        return install(h, Contents.of(INITRD));
    }

    /** A harness with {@code contents} installed; returns {handle, LoadFile2 interface}. */
    private static long[] install(EfiHarness h, Contents contents) throws EfiException {
        long handle = h.efi.installLoadFile2(EfiSystem.LINUX_INITRD_MEDIA, "initrd (/boot/initrd.img)", contents);
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, handle, h.guid(EfiGuid.LOAD_FILE2),
                iface));
        return new long[] {handle, h.readU64(iface)};
    }

    private static long path(EfiHarness h, EfiDevicePath path) throws EfiException {
        long at = h.alloc(path.encode().length);
        h.guest.write(at, path.encode());
        return at;
    }

    @Test
    void locateDevicePath_findsTheInitrdHandle_byTheVendorMediaNode_andLeavesTheEndNode() throws Exception {
        EfiHarness h = new EfiHarness();
        long handle = install(h)[0];
        long dp = path(h, EfiSystem.LINUX_INITRD_MEDIA);
        long dpPointer = h.u64(dp);
        long device = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_DEVICE_PATH, h.guid(EfiGuid.LOAD_FILE2), dpPointer,
                device), String.join("\n", h.trace));
        assertEquals(handle, h.readU64(device));
        // The remaining path is the end node, 20 bytes in: 4 header + 16 GUID.
        assertEquals(dp + 20, h.readU64(dpPointer));
        assertEquals(0x7F, h.memory.slice(dp + 20, 1).get(0) & 0xFF);
    }

    @Test
    void loadFile_withoutABuffer_givesTheSize_thenFillsTheBuffer() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = install(h)[1];
        long end = path(h, EfiDevicePath.of());
        long size = h.u64(0);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, end, 0, size, 0));
        assertEquals(INITRD.length, h.readU64(size));

        long buffer = h.alloc(INITRD.length);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, end, 0, size, buffer));
        assertArrayEquals(INITRD, h.guest.read(buffer, INITRD.length));
        assertEquals(INITRD.length, h.readU64(size));
    }

    @Test
    void loadFile_withAShortBuffer_writesNothing_andGivesTheSize() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = install(h)[1];
        long buffer = h.alloc(INITRD.length);
        long size = h.u64(INITRD.length - 1);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface,
                path(h, EfiDevicePath.of()), 0, size, buffer));
        assertEquals(INITRD.length, h.readU64(size));
        assertArrayEquals(new byte[16], h.guest.read(buffer, 16));
    }

    @Test
    void loadFile_refusals_areGrubsStatuses() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = install(h)[1];
        long end = path(h, EfiDevicePath.of());
        long size = h.u64(0);
        long file = path(h, EfiDevicePath.of(new EfiDevicePath.FilePath("\\initrd.img")));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, file, 0, size, 0));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, end, 1, size, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, end, 0, 0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface + 8, end, 0, size,
                0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, 0, 0, size, 0));
    }

    @Test
    void loadFile_intoMemoryOutsideGuestRam_isInvalidParameter_andWritesNothing() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = install(h)[1];
        long size = h.u64(INITRD.length);
        for (long wild : new long[] {EfiHarness.RAM - 0x1000, 0x7fff_0000_0000L, -4096}) {
            assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface,
                    path(h, EfiDevicePath.of()), 0, size, wild), Long.toHexString(wild));
        }
        assertTrue(h.trace.stream().noneMatch(l -> l.contains("internal error")), String.join("\n", h.trace));
    }

    @Test
    void devicePathToText_namesTheVendorMediaNode() throws Exception {
        assertEquals("VenMedia(5568E427-68FC-4F3D-AC74-CA555231CC68)", EfiSystem.LINUX_INITRD_MEDIA.text());
        EfiDevicePath decoded = EfiDevicePath.decode(java.nio.ByteBuffer.wrap(EfiSystem.LINUX_INITRD_MEDIA.encode()));
        assertEquals(EfiSystem.LINUX_INITRD_MEDIA.text(), decoded.text());
    }

    /**
     * Contents that only copy piece by piece (as a file on the disk does, 8 KiB at a time): LoadFile2 writes each piece
     * into the caller's buffer, never gathering the file in one heap buffer; a read that fails is EFI_DEVICE_ERROR.
     */
    @Test
    void loadFile_copiesThePiecesTheContentsHandOver_andAFailedReadIsADeviceError() throws Exception {
        EfiHarness h = new EfiHarness();
        int piece = 8192;
        Contents pieces = new Contents() {
            @Override
            public long size() {
                return INITRD.length;
            }

            @Override
            public void writeTo(java.nio.ByteBuffer target) {
                throw new AssertionError("LoadFile2 asked for the whole file in one buffer");
            }

            @Override
            public void copyTo(java.nio.channels.WritableByteChannel sink) throws java.io.IOException {
                for (int at = 0; at < INITRD.length; at += piece) {
                    Contents.drain(java.nio.ByteBuffer.wrap(INITRD, at, Math.min(piece, INITRD.length - at)), sink);
                }
            }
        };
        long iface = install(h, pieces)[1];
        long end = path(h, EfiDevicePath.of());
        long buffer = h.alloc(INITRD.length);
        long size = h.u64(INITRD.length);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOAD_FILE2_LOAD_FILE, iface, end, 0, size, buffer),
                String.join("\n", h.trace));
        assertArrayEquals(INITRD, h.guest.read(buffer, INITRD.length));

        Contents unreadable = new Contents() {
            @Override
            public long size() {
                return INITRD.length;
            }

            @Override
            public void writeTo(java.nio.ByteBuffer target) throws java.io.IOException {
                throw new java.io.IOException("file /boot/initrd.img: corrupt cluster 0x1234");
            }

            @Override
            public void copyTo(java.nio.channels.WritableByteChannel sink) throws java.io.IOException {
                Contents.drain(java.nio.ByteBuffer.wrap(INITRD, 0, piece), sink);
                throw new java.io.IOException("file /boot/initrd.img: corrupt cluster 0x1234");
            }
        };
        long broken = install(h, unreadable)[1];
        assertEquals(EfiStatus.DEVICE_ERROR, h.call(EfiService.LOAD_FILE2_LOAD_FILE, broken, end, 0, size, buffer));
        assertTrue(String.join("\n", h.trace).contains("corrupt cluster 0x1234"), String.join("\n", h.trace));
    }
}
