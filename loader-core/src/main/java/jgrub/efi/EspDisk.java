package jgrub.efi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.esp.EspImage;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFileSystem;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;

/**
 * The user's disk image as EFI sees it: the whole disk and its ESP as Block I/O devices with device paths like
 * firmware gives an IDE disk on QEMU's PIIX ({@code PciRoot(0x0)/Pci(0x1,0x1)/HD(...)}), and the ESP's FAT file
 * system, read through esp-fs, as the Simple File System an image's DeviceHandle points at.
 */
public final class EspDisk {

    /** The disk's place on the PCI bus: QEMU pc's PIIX IDE function, where SeaBIOS finds the disk too. */
    static final EfiDevicePath DISK_PATH = EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 0),
            new EfiDevicePath.Pci(1, 1));

    private EspDisk() {
    }

    /** Attaches the disk and its ESP to the EFI environment; returns the ESP's handle. */
    public static long attach(EfiSystem efi, EspImage disk, Partition esp) throws IOException, EfiException {
        int sector = disk.table().sectorSize();
        BlockDevice partition = disk.device(esp);
        FatFileSystem fat = FatFileSystem.open(partition);
        EfiDevicePath partitionPath = esp.scheme() == PartitionScheme.NONE ? DISK_PATH
                : DISK_PATH.append(new EfiDevicePath.HardDrive(esp.number(), esp.firstLba(), esp.size() / sector,
                        esp.uniqueGuid() == null ? null : EfiGuid.parse(esp.uniqueGuid().toString()),
                        esp.uniqueGuid() == null ? mbrSignature(disk) : 0));
        return efi.attachDisk(blocks(disk.image(), sector), DISK_PATH, blocks(partition, sector), partitionPath,
                volume(fat));
    }

    private static int mbrSignature(EspImage disk) throws IOException {
        ByteBuffer sector = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        disk.image().read(440, sector); // the MBR disk signature
        return sector.getInt(0);
    }

    static EfiBlockDevice blocks(BlockDevice device, int blockSize) {
        return new EfiBlockDevice() {
            @Override
            public int blockSize() {
                return blockSize;
            }

            @Override
            public long size() {
                return device.size() / blockSize * blockSize;
            }

            @Override
            public void read(long offset, ByteBuffer target) throws IOException {
                device.read(offset, target);
            }
        };
    }

    static EfiVolume volume(FatFileSystem fat) {
        return new EfiVolume() {
            @Override
            public String label() {
                return fat.label().orElse("");
            }

            @Override
            public long totalBytes() {
                return fat.clusterCount() * fat.clusterSize();
            }

            @Override
            public long freeBytes() {
                long free = fat.fsInfoFreeClusters();
                return free < 0 ? 0 : free * fat.clusterSize();
            }

            @Override
            public int blockSize() {
                return fat.clusterSize();
            }

            @Override
            public Entry lookup(String path) throws IOException {
                Optional<FatEntry> entry = fat.find(path);
                return entry.isPresent() ? entry(entry.get()) : null;
            }

            private Entry entry(FatEntry e) {
                return new Entry() {
                    @Override
                    public String name() {
                        return e.name();
                    }

                    @Override
                    public boolean isDirectory() {
                        return e.isDirectory();
                    }

                    @Override
                    public long size() {
                        return e.size();
                    }

                    @Override
                    public long modified() {
                        return e.modified() == null ? 0 : e.modified().toEpochSecond(ZoneOffset.UTC);
                    }

                    @Override
                    public long attributes() {
                        return e.attributes() & 0x37;
                    }

                    @Override
                    public int read(long position, ByteBuffer target) throws IOException {
                        int total = 0;
                        var file = fat.open(e);
                        while (target.hasRemaining()) {
                            int n = file.read(target, position + total);
                            if (n <= 0) {
                                break;
                            }
                            total += n;
                        }
                        return total;
                    }

                    @Override
                    public List<Entry> list() throws IOException {
                        List<Entry> out = new ArrayList<>();
                        for (FatEntry child : fat.list(e)) {
                            if (!child.name().equals(".") && !child.name().equals("..")) {
                                out.add(entry(child));
                            }
                        }
                        return out;
                    }
                };
            }
        };
    }
}
