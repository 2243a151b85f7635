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
import jgrub.fat.FatFile;
import jgrub.fat.FatFileSystem;
import jgrub.fs.Lookup;
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

            private long free = -1;

            @Override
            public long totalBytes() {
                return fat.volumeBytes();
            }

            @Override
            public long freeBytes() {
                // FSINFO exists on FAT32 only; counting the FAT works for all three, once per run.
                if (free < 0) {
                    try {
                        free = fat.freeClusters() * fat.clusterSize();
                    } catch (IOException e) {
                        free = 0;
                    }
                }
                return free;
            }

            @Override
            public int blockSize() {
                return fat.clusterSize();
            }

            @Override
            public Entry lookup(String path) throws IOException {
                // Firmware matching, as EDK2's FAT driver: 8.3 aliases too, Latin-1 case folded.
                Optional<FatEntry> entry = fat.find(path, Lookup.FIRMWARE);
                return entry.isPresent() ? entry(entry.get()) : null;
            }

            private Entry entry(FatEntry e) {
                return new Entry() {
                    private FatFile file;

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
                        if (file == null) {
                            file = fat.open(e); // the cluster chain is walked once per open file, not per read
                        }
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
