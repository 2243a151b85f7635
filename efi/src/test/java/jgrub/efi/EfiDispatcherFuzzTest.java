package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random services with random arguments: NULL, wild pointers, pointers into guest RAM, handles, huge sizes. Every
 * call must come back with a value and none may be an internal error: only EFI statuses the guest's fault explains.
 */
class EfiDispatcherFuzzTest {

    @Test
    void randomCalls_onlyEverReturnStatuses() throws Exception {
        Random random = new Random(0x4a475255L);
        for (int round = 0; round < 20; round++) {
            EfiHarness h = new EfiHarness();
            h.efi.imageLoader(new FakeImages());
            long image = h.alloc(0x1000);
            h.guest.write(image, FakeImages.image(FakeImages.APPLICATION, 0x1000));
            EfiDevicePath file = h.efi.protocols.devicePath(h.esp)
                    .append(new EfiDevicePath.FilePath("\\EFI\\test\\hello.efi"));
            long path = h.alloc(file.encode().length);
            h.guest.write(path, file.encode());
            long loadFile2 = h.efi.installLoadFile2(EfiSystem.LINUX_INITRD_MEDIA, "initrd",
                    jgrub.boot.Contents.of(new byte[0x3000]));
            long[] interesting = {0, 1, -1, 0x7fffffffffffffffL, 0x8000000000000000L, h.image, h.esp,
                h.efi.systemTable(), EfiHarness.SCRATCH, EfiHarness.SCRATCH + 0x100, EfiHarness.RAM - 4,
                EfiHarness.RAM, 0xfffff, 4096, h.guid(EfiGuid.LOADED_IMAGE), h.guid(EfiGuid.SIMPLE_FILE_SYSTEM),
                h.ucs2("\\EFI\\xen\\xen.cfg"), h.systemTable().getLong(EfiTables.ST_CON_OUT),
                image, path, 0x1000, loadFile2,
                h.efi.handles.protocol(h.efi.handles.get(loadFile2), EfiGuid.LOAD_FILE2)};
            List<EfiService> services = List.of(EfiService.values());
            for (int i = 0; i < 2000; i++) {
                EfiService service = services.get(random.nextInt(services.size()));
                if (service == EfiService.EXIT_BOOT_SERVICES || service == EfiService.STALL
                        || service == EfiService.WAIT_FOR_EVENT) {
                    continue; // exits the boot services, or waits: covered by their own tests
                }
                long[] args = new long[6];
                for (int a = 0; a < args.length; a++) {
                    args[a] = random.nextInt(4) == 0 ? random.nextLong() : interesting[random.nextInt(
                            interesting.length)];
                }
                h.call(service, args);
            }
            for (String line : h.trace) {
                assertTrue(!line.contains("internal error"), line);
            }
            assertEquals(0, h.trace.stream().filter(l -> l.contains("internal error")).count());
        }
    }
}
