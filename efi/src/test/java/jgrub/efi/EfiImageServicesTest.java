package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** LoadImage, StartImage, Exit and UnloadImage (UEFI 2.10 section 7.4) as the guest calls them. */
class EfiImageServicesTest {

    static final long WILD = 0x7fff_0000_0000L;

    private static EfiHarness harness() throws EfiException {
        EfiHarness h = new EfiHarness();
        h.efi.imageLoader(new FakeImages());
        return h;
    }

    /** LoadImage(FALSE, parent, path, buffer, size, &handle): the status, and the handle when it succeeded. */
    private static long[] load(EfiHarness h, long parent, long path, byte[] buffer) throws EfiException {
        long source = 0;
        if (buffer != null) {
            source = h.alloc(buffer.length);
            h.guest.write(source, buffer);
        }
        long out = h.u64(0);
        long status = h.call(EfiService.LOAD_IMAGE, 0, parent, path, source, buffer == null ? 0 : buffer.length, out);
        return new long[] {status, h.readU64(out)};
    }

    private static ByteBuffer loadedImage(EfiHarness h, long handle) throws EfiException {
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, handle, h.guid(EfiGuid.LOADED_IMAGE),
                iface));
        return h.memory.slice(h.readU64(iface), 96);
    }

    /** The ESP's device path followed by a file-path node, in guest memory. */
    private static long espFile(EfiHarness h, String file) throws EfiException {
        EfiDevicePath path = h.efi.protocols.devicePath(h.esp).append(new EfiDevicePath.FilePath(file));
        long at = h.alloc(path.encode().length);
        h.guest.write(at, path.encode());
        return at;
    }

    @Test
    void loadImage_fromBuffer_placesTheImageAsLoaderCode_withItsLoadedImage() throws Exception {
        EfiHarness h = harness();
        byte[] file = FakeImages.image(FakeImages.APPLICATION, 0x1800);
        long[] loaded = load(h, h.image, 0, file);
        assertEquals(EfiStatus.SUCCESS, loaded[0], String.join("\n", h.trace));
        ByteBuffer li = loadedImage(h, loaded[1]);
        assertEquals(0x1000, li.getInt(0));
        assertEquals(h.image, li.getLong(8), "ParentHandle");
        assertEquals(h.efi.systemTable(), li.getLong(16));
        assertEquals(0, li.getLong(24), "DeviceHandle: loaded from a buffer without a path");
        assertEquals(0, li.getLong(32), "FilePath");
        assertEquals(0, li.getInt(48), "LoadOptionsSize");
        assertEquals(0, li.getLong(56), "LoadOptions");
        long base = li.getLong(64);
        assertEquals(0, base % EfiMemoryMap.PAGE);
        assertEquals(0x1800, li.getLong(72), "ImageSize");
        assertEquals(EfiMemoryType.LOADER_CODE.code(), li.getInt(80));
        assertEquals(EfiMemoryType.LOADER_DATA.code(), li.getInt(84));
        assertEquals(0, li.getLong(88), "Unload: none");
        byte[] placed = h.guest.read(base, file.length);
        assertEquals(base, ByteBuffer.wrap(placed).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8),
                "laid out for its address");
        assertArrayEquals(java.util.Arrays.copyOfRange(file, 16, file.length),
                java.util.Arrays.copyOfRange(placed, 16, file.length));
        assertTrue(h.efi.memoryMap.isType(base, base + 0x2000, EfiMemoryType.LOADER_CODE.code()));
        long path = h.u64(1);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, loaded[1],
                h.guid(EfiGuid.LOADED_IMAGE_DEVICE_PATH), path));
        assertEquals(0, h.readU64(path), "Loaded Image Device Path is installed with NULL, as EDK2 does");
    }

    @Test
    void loadImage_ofADriver_usesBootServicesMemory() throws Exception {
        EfiHarness h = harness();
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.BOOT_DRIVER, 0x1000));
        assertEquals(EfiStatus.SUCCESS, loaded[0]);
        ByteBuffer li = loadedImage(h, loaded[1]);
        assertEquals(EfiMemoryType.BOOT_SERVICES_CODE.code(), li.getInt(80));
        assertEquals(EfiMemoryType.BOOT_SERVICES_DATA.code(), li.getInt(84));
        assertTrue(h.efi.memoryMap.isType(li.getLong(64), li.getLong(64) + 0x1000,
                EfiMemoryType.BOOT_SERVICES_CODE.code()));
    }

    @Test
    void loadImage_fromTheEspPath_readsTheFileThroughSimpleFileSystem() throws Exception {
        EfiHarness h = harness();
        long path = espFile(h, "\\EFI\\test\\hello.efi");
        long[] loaded = load(h, h.image, path, null);
        assertEquals(EfiStatus.SUCCESS, loaded[0], String.join("\n", h.trace));
        ByteBuffer li = loadedImage(h, loaded[1]);
        assertEquals(h.esp, li.getLong(24), "DeviceHandle is the ESP");
        assertEquals("\\EFI\\test\\hello.efi", EfiDevicePath.decode(h.memory.slice(li.getLong(32), 64)).text(),
                "FilePath: only the file node, relative to the device");
        assertEquals(0x2345, li.getLong(72));
        byte[] expected = FakeImages.image(FakeImages.APPLICATION, 0x2345);
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 16, expected.length),
                h.guest.read(li.getLong(64) + 16, expected.length - 16));
        long full = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, loaded[1],
                h.guid(EfiGuid.LOADED_IMAGE_DEVICE_PATH), full));
        assertEquals(EfiDevicePath.decode(h.memory.slice(path, 200)),
                EfiDevicePath.decode(h.memory.slice(h.readU64(full), 200)), "the whole path it was loaded from");
    }

    static Stream<Arguments> badLoads() {
        return Stream.of(
                Arguments.of("parent is not an image", EfiStatus.INVALID_PARAMETER),
                Arguments.of("parent is NULL", EfiStatus.INVALID_PARAMETER),
                Arguments.of("ImageHandle is NULL", EfiStatus.INVALID_PARAMETER),
                Arguments.of("ImageHandle is wild", EfiStatus.INVALID_PARAMETER),
                Arguments.of("no buffer and no path", EfiStatus.NOT_FOUND),
                Arguments.of("buffer is not an image", EfiStatus.LOAD_ERROR),
                Arguments.of("buffer is wild", EfiStatus.INVALID_PARAMETER),
                Arguments.of("buffer of size 0", EfiStatus.LOAD_ERROR),
                Arguments.of("buffer of absurd size", EfiStatus.LOAD_ERROR),
                Arguments.of("path is wild", EfiStatus.INVALID_PARAMETER),
                Arguments.of("path to a missing file", EfiStatus.NOT_FOUND),
                Arguments.of("path to a directory", EfiStatus.NOT_FOUND),
                Arguments.of("path to the ESP without a file", EfiStatus.NOT_FOUND),
                Arguments.of("path on no file system", EfiStatus.NOT_FOUND),
                Arguments.of("path to a file that is not an image", EfiStatus.LOAD_ERROR),
                Arguments.of("image of another subsystem", EfiStatus.UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLoads")
    void loadImage_badArguments_getTheirStatus_andAllocateNothing(String what, long expected) throws Exception {
        EfiHarness h = harness();
        long out = h.u64(0);
        long good = h.alloc(0x1000);
        h.guest.write(good, FakeImages.image(FakeImages.APPLICATION, 0x1000));
        long junk = h.alloc(0x100);
        long other = h.alloc(0x1000);
        h.guest.write(other, FakeImages.image(3, 0x1000));
        EfiDevicePath noFs = EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 7),
                new EfiDevicePath.FilePath("\\EFI\\test\\hello.efi"));
        long noFsPath = h.alloc(noFs.encode().length);
        h.guest.write(noFsPath, noFs.encode());
        EfiDevicePath espOnly = h.efi.protocols.devicePath(h.esp);
        long espPath = h.alloc(espOnly.encode().length);
        h.guest.write(espPath, espOnly.encode());
        List<EfiMemoryMap.Descriptor> before = h.efi.memoryMap.descriptors();
        long[] args = switch (what) {
            case "parent is not an image" -> new long[] {0, h.esp, 0, good, 0x1000, out};
            case "parent is NULL" -> new long[] {0, 0, 0, good, 0x1000, out};
            case "ImageHandle is NULL" -> new long[] {0, h.image, 0, good, 0x1000, 0};
            case "ImageHandle is wild" -> new long[] {0, h.image, 0, good, 0x1000, WILD};
            case "no buffer and no path" -> new long[] {0, h.image, 0, 0, 0, out};
            case "buffer is not an image" -> new long[] {0, h.image, 0, junk, 0x100, out};
            case "buffer is wild" -> new long[] {0, h.image, 0, WILD, 0x1000, out};
            case "buffer of size 0" -> new long[] {0, h.image, 0, good, 0, out};
            case "buffer of absurd size" -> new long[] {0, h.image, 0, good, -1L, out};
            case "path is wild" -> new long[] {0, h.image, WILD, 0, 0, out};
            case "path to a missing file" -> new long[] {0, h.image, espFile(h, "\\EFI\\test\\nothere.efi"), 0, 0,
                out};
            case "path to a directory" -> new long[] {0, h.image, espFile(h, "\\EFI\\test"), 0, 0, out};
            case "path to the ESP without a file" -> new long[] {0, h.image, espPath, 0, 0, out};
            case "path on no file system" -> new long[] {0, h.image, noFsPath, 0, 0, out};
            case "path to a file that is not an image" -> new long[] {0, h.image, espFile(h, "\\EFI\\xen\\xen.cfg"),
                0, 0, out};
            case "image of another subsystem" -> new long[] {0, h.image, 0, other, 0x1000, out};
            default -> throw new AssertionError(what);
        };
        assertEquals(EfiStatus.name(expected), EfiStatus.name(h.call(EfiService.LOAD_IMAGE, args)),
                String.join("\n", h.trace));
        assertEquals(before, h.efi.memoryMap.descriptors(), "nothing allocated");
        assertEquals(0, h.readU64(out));
    }

    @Test
    void loadImage_withoutALoader_isUnsupported() throws Exception {
        EfiHarness h = new EfiHarness();
        assertEquals(EfiStatus.UNSUPPORTED, load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x1000))[0]);
    }

    @Test
    void unloadImage_freesAnImageNeverStarted_andRefusesTheRest() throws Exception {
        EfiHarness h = harness();
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x3000));
        long base = loadedImage(h, loaded[1]).getLong(64);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.UNLOAD_IMAGE, loaded[1]));
        assertTrue(h.efi.memoryMap.isType(base, base + 0x3000, EfiMemoryType.CONVENTIONAL.code()), "pages freed");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.HANDLE_PROTOCOL, loaded[1],
                h.guid(EfiGuid.LOADED_IMAGE), h.u64(0)), "the handle is gone");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNLOAD_IMAGE, loaded[1]), "twice");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNLOAD_IMAGE, h.esp), "not an image");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNLOAD_IMAGE, WILD));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.UNLOAD_IMAGE, h.image), "the running image");
    }

    private static ByteBuffer mailbox(EfiHarness h) throws EfiException {
        return h.memory.slice(h.efi.mailbox(), 0x100);
    }

    @Test
    void startImage_handsTheRoutineTheEntry_andReturnEndsTheFrame_unloadingAnApplication() throws Exception {
        EfiHarness h = harness();
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x1000));
        long base = loadedImage(h, loaded[1]).getLong(64);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.START_IMAGE, loaded[1], 0, 0));
        assertEquals(base + 0x10, mailbox(h).getLong(EfiStubs.MAILBOX_START_ENTRY));
        assertEquals(loaded[1], mailbox(h).getLong(EfiStubs.MAILBOX_START_HANDLE));
        assertEquals(h.efi.systemTable(), mailbox(h).getLong(EfiStubs.MAILBOX_START_SYSTEM_TABLE));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, loaded[1], 0, 0), "started twice");
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.UNLOAD_IMAGE, loaded[1]), "running");
        assertEquals(EfiStatus.DEVICE_ERROR, h.call(EfiService.NESTED_IMAGE_RETURNED, EfiStatus.DEVICE_ERROR),
                "StartImage returns what the entry returned");
        assertTrue(h.efi.memoryMap.isType(base, base + 0x1000, EfiMemoryType.CONVENTIONAL.code()),
                "an application is unloaded when it returns");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.NESTED_IMAGE_RETURNED, 0), "no frame");
        assertEquals(java.util.Optional.empty(), h.efi.ending(), "the run goes on");
    }

    @Test
    void exit_ofTheNestedImage_resumesItsStartImage_withTheStatusAndExitData() throws Exception {
        EfiHarness h = harness();
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x1000));
        long[] other = load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x1000));
        long size = h.u64(0);
        long data = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.START_IMAGE, loaded[1], size, data));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.EXIT, h.image, 0, 0, 0),
                "only the running image may exit");
        long text = h.ucs2("bye");
        assertEquals(EfiStatus.ABORTED, h.call(EfiService.EXIT, loaded[1], EfiStatus.ABORTED, 8, text));
        assertEquals(EfiHarness.STACK + 8, mailbox(h).getLong(EfiStubs.MAILBOX_RESUME_RSP),
                "the StartImage routine's stack, 8 above what the trampoline recorded");
        assertEquals(8, h.readU64(size));
        assertEquals(text, h.readU64(data));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNLOAD_IMAGE, loaded[1]), "unloaded on Exit");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT, other[1], 0, 0, 0), "Exit of an unstarted image");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNLOAD_IMAGE, other[1]), "it was unloaded");
        assertEquals(java.util.Optional.empty(), h.efi.ending());
    }

    @Test
    void driver_thatSucceeds_staysResident_andCannotBeUnloaded() throws Exception {
        EfiHarness h = harness();
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.BOOT_DRIVER, 0x1000));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.START_IMAGE, loaded[1], 0, 0));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.NESTED_IMAGE_RETURNED, EfiStatus.SUCCESS));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.UNLOAD_IMAGE, loaded[1]));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, loaded[1], 0, 0));
    }

    @Test
    void startImage_badHandles() throws Exception {
        EfiHarness h = harness();
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, h.esp, 0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, WILD, 0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, h.image, 0, 0), "already running");
        long[] loaded = load(h, h.image, 0, FakeImages.image(FakeImages.APPLICATION, 0x1000));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.START_IMAGE, loaded[1], WILD, 0));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.START_IMAGE, loaded[1], 0, 0), "still loadable after");
    }

    @Test
    void exit_ofTheImageJgrubStarted_endsTheRun() throws Exception {
        EfiHarness h = harness();
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT, h.image, EfiStatus.LOAD_ERROR, 0, 0));
        assertEquals(EfiStatus.LOAD_ERROR, h.efi.ending().orElseThrow().status());
    }

    @Test
    void freePool_ofNull_isInvalidParameter_asSection72Says() throws Exception {
        EfiHarness h = harness();
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.FREE_POOL, 0));
        assertTrue(h.trace.get(h.trace.size() - 1).contains("Buffer is NULL"), h.trace.toString());
    }
}
