package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The disk jgrub booted from, attached to the guest as well, so that dom0 or Linux mounts its root from it.
 *
 * @param image    the image or block device, as the user named it
 * @param format   how QEMU reads it
 * @param bus      the controller the guest finds it on
 * @param writable whether the guest's writes reach the image; otherwise they go to a throw-away overlay (QEMU's
 *                 {@code snapshot=on}) and the image is never written
 */
public record GuestDisk(Path image, Format format, Bus bus, boolean writable) {

    /** The image formats QEMU is told about; never left to QEMU's guess, which it refuses to write to for raw. */
    public enum Format {
        RAW, QCOW2;

        private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

        /** qcow2 when the image starts with qcow2's magic, raw otherwise (QEMU's own probe, for these two). */
        public static Format of(Path image) throws IOException {
            try (InputStream in = Files.newInputStream(image)) {
                return Arrays.equals(in.readNBytes(4), QCOW2_MAGIC) ? QCOW2 : RAW;
            }
        }

        String qemuName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code virtio} (virtio-blk, the default), {@code ahci} (SATA) or {@code ide} (the PC's PIIX controller). */
    public enum Bus {
        VIRTIO, AHCI, IDE;

        public String userName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
