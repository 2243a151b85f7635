package jgrub.efi;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jgrub.testing.FuzzProperty;
import org.junit.jupiter.api.Assertions;

/**
 * The EFI service dispatcher as a guest drives it: a sequence of calls, each a service and six arguments that are
 * NULL, wild values, handles, pointers into guest RAM (the image, a device path, GUIDs, strings, the system table) or
 * any 64-bit number, served by {@link EfiSystem#call} exactly as a stub's doorbell would have it served. Every call
 * must come back with a status the guest's input explains: no exception, and no "internal error" (what the dispatcher
 * answers when jgrub's own code throws, which also covers any write outside guest RAM, as {@link PhysicalMemory}
 * refuses those). Services that end boot services or wait are left to their own tests.
 *
 * <p>Seeds in {@code src/test/resources/jgrub/efi/EfiServiceFuzzTestInputs/calls/}: byte strings that start a few
 * calls as Xen's {@code efi_start} makes them (HandleProtocol, AllocatePool, GetMemoryMap, OpenVolume, Open);
 * anything else there is an input that once failed.
 */
class EfiServiceFuzzTest {

    private static final List<EfiService> SERVICES = List.of(EfiService.values()).stream()
            .filter(s -> s != EfiService.EXIT_BOOT_SERVICES && s != EfiService.STALL
                    && s != EfiService.WAIT_FOR_EVENT)
            .toList();

    @FuzzTest(maxDuration = "5m")
    void calls(FuzzedDataProvider data) {
        FuzzProperty.check(List.of(), () -> {
            EfiHarness h = new EfiHarness();
            h.efi.imageLoader(new FakeImages());
            long image = h.alloc(0x1000);
            h.guest.write(image, FakeImages.image(FakeImages.APPLICATION, 0x1000));
            byte[] path = h.efi.protocols.devicePath(h.esp)
                    .append(new EfiDevicePath.FilePath("\\EFI\\test\\hello.efi")).encode();
            long pathAt = h.alloc(path.length);
            h.guest.write(pathAt, path);
            long buffer = h.alloc(0x1000);
            long[] interesting = {0, 1, -1, 0x7fffffffffffffffL, 0x8000000000000000L, h.image, h.esp,
                h.efi.systemTable(), buffer, buffer + 0x800, EfiHarness.RAM - 4, EfiHarness.RAM, 0xfffff, 4096,
                h.guid(EfiGuid.LOADED_IMAGE), h.guid(EfiGuid.SIMPLE_FILE_SYSTEM), h.guid(EfiGuid.BLOCK_IO),
                h.guid(EfiGuid.DEVICE_PATH), h.ucs2("\\EFI\\xen\\xen.cfg"),
                h.systemTable().getLong(EfiTables.ST_CON_OUT), image, pathAt, 0x1000};
            for (int call = 0; call < 64 && data.remainingBytes() > 0; call++) {
                EfiService service = data.pickValue(SERVICES);
                long[] args = new long[6];
                for (int a = 0; a < args.length; a++) {
                    args[a] = data.consumeBoolean() ? data.consumeLong() : data.pickValue(interesting);
                }
                h.call(service, args);
            }
            for (String line : h.trace) {
                Assertions.assertFalse(line.contains("internal error"), line);
            }
        });
    }
}
