package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.fs.Disk;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real GPT disk made by scripts/make-test-disk (sfdisk, mkfs.fat, mtools), served through EFI. */
class EspDiskTest {

    @Test
    void realEsp_servesXenCfgThroughSimpleFileSystem_andTheDevicePathNamesThePartition(@TempDir Path dir)
            throws Exception {
        Prerequisites.payload("xen.efi");
        Prerequisites.program("mcopy");
        Path disk = dir.resolve("chain.img");
        Process make = new ProcessBuilder(Prerequisites.repositoryRoot().resolve("scripts/make-test-disk").toString(),
                disk.toString(), "chain").redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes());
        assertTrue(make.waitFor(60, TimeUnit.SECONDS) && make.exitValue() == 0, output);

        HeapMemory ram = new HeapMemory(64 << 20);
        EfiSystem efi = EfiSystem.install(ram, List.of(new MemoryRegion(0x100000, 63 << 20, MemoryType.USABLE)),
                List.of(), Optional.empty(), 0, new EfiVariableStore(), t -> { });
        try (Disk image = Disk.open(disk)) {
            long esp = EspDisk.attach(efi, image, image.partition(null));
            GuestPointers m = new GuestPointers(ram, 0);
            long scratch = efi.memoryMap().allocatePool(EfiMemoryType.LOADER_DATA.code(), 8192);
            long guid = scratch;
            m.write(guid, EfiGuid.SIMPLE_FILE_SYSTEM.toBytes());
            long out = scratch + 64;
            assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.HANDLE_PROTOCOL, esp, guid, out, 0, 0,
                    m)));
            assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.FS_OPEN_VOLUME, m.readU64(out), out, 0,
                    0, 0, m)));
            long root = m.readU64(out);
            long name = scratch + 128;
            m.writeUcs2(name, "\\EFI\\xen\\xen.cfg");
            assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.FILE_OPEN, root, out, name, 1, 0, m)));
            long file = m.readU64(out);
            long size = scratch + 72;
            m.writeU64(size, 4096);
            long buffer = scratch + 1024;
            assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.FILE_READ, file, size, buffer, 0, 0, m)));
            String text = new String(m.read(buffer, (int) m.readU64(size)));
            assertTrue(text.startsWith("[global]\ndefault=xen"), text);

            m.write(guid, EfiGuid.DEVICE_PATH.toBytes());
            assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.HANDLE_PROTOCOL, esp, guid, out, 0, 0,
                    m)));
            String path = EfiDevicePath.decode(ram.slice(m.readU64(out), 128)).text();
            assertTrue(path.matches("PciRoot\\(0x0\\)/Pci\\(0x1,0x1\\)/HD\\(1,GPT,[0-9A-F-]{36},0x800,0x40000\\)"),
                    path);
        }
    }
}
