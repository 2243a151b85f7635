package jgrub.efi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.fs.Lookup;
import jgrub.fs.OpenFile;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;

/**
 * The user's disk image as EFI sees it: the whole disk and its ESP as Block I/O devices with device paths like
 * firmware gives an IDE disk on QEMU's PIIX ({@code PciRoot(0x0)/Pci(0x1,0x1)/HD(...)}), and the ESP's file system,
 * the one the disk opened for the run, as the Simple File System an image's DeviceHandle points at.
 */
public final class EspDisk {

    /** The disk's place on the PCI bus: QEMU pc's PIIX IDE function, where SeaBIOS finds the disk too. */
    static final EfiDevicePath DISK_PATH = EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 0),
            new EfiDevicePath.Pci(1, 1));

    private EspDisk() {
    }

    /** Attaches the disk and its ESP to the EFI environment; returns the ESP's handle. */
    public static long attach(EfiSystem efi, Disk disk, Partition esp) throws IOException, EfiException {
        int sector = disk.table().sectorSize();
        BlockDevice partition = disk.device(esp);
        FileSystem fs = disk.fileSystem(esp);
        EfiDevicePath partitionPath = esp.scheme() == PartitionScheme.NONE ? DISK_PATH
                : DISK_PATH.append(new EfiDevicePath.HardDrive(esp.number(), esp.firstLba(), esp.size() / sector,
                        esp.uniqueGuid() == null ? null : EfiGuid.parse(esp.uniqueGuid().toString()),
                        esp.uniqueGuid() == null ? mbrSignature(disk) : 0));
        return efi.attachDisk(blocks(disk.device(), sector), DISK_PATH, blocks(partition, sector), partitionPath,
                volume(fs));
    }

    private static int mbrSignature(Disk disk) throws IOException {
        ByteBuffer sector = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        disk.device().read(440, sector); // the MBR disk signature
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

    static EfiVolume volume(FileSystem fs) {
        return new EfiVolume() {
            @Override
            public String label() {
                return fs.label().orElse("");
            }

            @Override
            public long totalBytes() {
                return fs.totalBytes();
            }

            @Override
            public long freeBytes() {
                // Counted once per run by the file system (FAT's FSINFO is only a hint, and FAT32's alone).
                try {
                    return fs.freeBytes();
                } catch (IOException e) {
                    return 0;
                }
            }

            @Override
            public int blockSize() {
                return fs.blockSize();
            }

            @Override
            public Entry lookup(String path) throws IOException {
                // Firmware matching: on FAT, as EDK2's driver, 8.3 aliases too and Latin-1 case folded.
                Optional<? extends FileEntry> entry = fs.find(path, Lookup.FIRMWARE);
                return entry.isPresent() ? entry(entry.get()) : null;
            }

            private Entry entry(FileEntry e) {
                return new Entry() {
                    private OpenFile file;

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
                        return e.attributes() & (FileEntry.READ_ONLY | FileEntry.HIDDEN | FileEntry.SYSTEM
                                | FileEntry.DIRECTORY | FileEntry.ARCHIVE);
                    }

                    @Override
                    public int read(long position, ByteBuffer target) throws IOException {
                        int total = 0;
                        if (file == null) {
                            file = fs.open(e); // FAT walks the cluster chain once per open file, not per read
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
                        for (FileEntry child : fs.list(e)) {
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
