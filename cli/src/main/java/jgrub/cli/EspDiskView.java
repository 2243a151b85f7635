package jgrub.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.config.eval.DiskView;
import jgrub.esp.EspImage;
import jgrub.fat.FatFileSystem;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;

/**
 * A disk image as GRUB's evaluator sees it, read through esp-fs: the whole disk as {@code hd0}, each partition by its
 * GRUB name ({@code hd0,gpt1}), and files on the FAT file systems (other file systems read as absent).
 */
final class EspDiskView implements DiskView {

    private final EspImage disk;
    private final List<Device> devices = new ArrayList<>();
    private final Map<String, FatFileSystem> fileSystems = new HashMap<>();

    EspDiskView(EspImage disk) {
        this.disk = disk;
        for (Partition p : disk.table().partitions()) {
            String name = p.scheme() == PartitionScheme.NONE ? "hd0" : p.grubName().replaceAll("[()]", "");
            FatFileSystem fs = null;
            try {
                fs = FatFileSystem.open(disk.device(p));
            } catch (IOException notFat) {
                // GRUB sees the device but no file system it can read.
            }
            if (fs != null) {
                fileSystems.put(name, fs);
            }
            devices.add(new Device(name, fs == null ? Optional.empty() : Optional.of(fs.uuid()),
                    fs == null ? Optional.empty() : fs.label()));
        }
        if (disk.table().scheme() != PartitionScheme.NONE) {
            devices.add(0, new Device("hd0", Optional.empty(), Optional.empty()));
        }
    }

    /** The GRUB name of the partition holding {@code path}, preferring the ESP, or empty. */
    Optional<String> deviceWith(String path) throws IOException {
        for (Device device : devices) {
            if (stat(device.name(), path).filter(f -> !f.directory()).isPresent()) {
                return Optional.of(device.name());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    @Override
    public Optional<FileInfo> stat(String device, String path) throws IOException {
        FatFileSystem fs = fileSystems.get(device);
        if (fs == null || !fs.exists(path)) {
            return Optional.empty();
        }
        boolean directory = fs.isDirectory(path);
        return Optional.of(new FileInfo(directory, directory ? 0 : fs.size(path)));
    }

    @Override
    public byte[] read(String device, String path) throws IOException {
        FatFileSystem fs = fileSystems.get(device);
        if (fs == null || !fs.exists(path) || fs.isDirectory(path)) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        try (InputStream in = fs.newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    EspImage disk() {
        return disk;
    }
}
