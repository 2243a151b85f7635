package jgrub.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What DiskImage opens: image files and block devices; a FIFO, a character device or a directory at once refused. */
class DiskImageKindsTest {

    @Test
    void aFifo_isRefusedAtOnce_neverOpened(@TempDir Path dir) throws Exception {
        Prerequisites.program("mkfifo");
        Path fifo = dir.resolve("disk.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        DiskFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DiskFormatException.class, () -> DiskImage.open(fifo)));
        assertEquals(fifo + ": a FIFO, not a disk image (give an image file or a block device)", e.getMessage());
    }

    @Test
    void aCharacterDeviceAndADirectory_areRefused(@TempDir Path dir) {
        assertEquals("/dev/zero: a character device, not a disk image (give an image file or a block device)",
                assertThrows(DiskFormatException.class, () -> DiskImage.open(Path.of("/dev/zero"))).getMessage());
        assertEquals(dir + ": a directory, not a disk image (give an image file or a block device)",
                assertThrows(DiskFormatException.class, () -> DiskImage.open(dir)).getMessage());
    }

    /**
     * A loop device over an image, 512- and 4096-byte logical sectors: the kernel's size and sector size come through
     * ioctl, the bytes read are the image's. Needs root and loop devices (CI runs as root; elsewhere it skips).
     */
    @Test
    void aLoopDevice_readsAsItsImage_withTheKernelsSectorSize(@TempDir Path dir) throws Exception {
        Prerequisites.program("losetup");
        Path image = dir.resolve("disk.img");
        byte[] data = new byte[4 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 12));
        }
        Files.write(image, data);
        for (int sectorSize : new int[] {512, 4096}) {
            String device = attach(image, sectorSize);
            try (DiskImage disk = DiskImage.open(Path.of(device))) {
                assertEquals(data.length, disk.size());
                assertEquals(sectorSize, disk.logicalSectorSize());
                ByteBuffer read = ByteBuffer.allocate(8192);
                disk.read(4096 * 3 + 100, read);
                byte[] expected = new byte[8192];
                System.arraycopy(data, 4096 * 3 + 100, expected, 0, expected.length);
                assertArrayEquals(expected, read.array());
            } finally {
                new ProcessBuilder("losetup", "-d", device).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String attach(Path image, int sectorSize) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("losetup", "-f", "--show", "-r", "--sector-size", String.valueOf(sectorSize),
                image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            Prerequisites.missing("a loop device (losetup: " + out + ")");
        }
        return out;
    }
}
