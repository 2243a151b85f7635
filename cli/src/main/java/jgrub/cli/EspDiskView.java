package jgrub.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.config.eval.DiskView;
import jgrub.disk.DiskFormatException;
import jgrub.esp.EspImage;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFileSystem;
import jgrub.part.Partition;
import jgrub.part.PartitionScheme;

/**
 * A disk image as the evaluator sees it (GRUB's device names, FAT files), read through esp-fs. Devices are listed as
 * GRUB's EFI build lists them: the whole disk {@code hd0} first, then its partitions in table order; only FAT
 * partitions have files and ids.
 */
final class EspDiskView implements DiskView, Closeable {

    /** Reading more than this into memory for {@code read} is refused: configs and env blocks are small. */
    static final long MAX_READ = 64L << 20;

    private final EspImage image;
    private final Map<String, Optional<FatFileSystem>> fileSystems = new HashMap<>();
    private final List<Device> devices = new ArrayList<>();

    private EspDiskView(EspImage image) throws IOException {
        this.image = image;
        boolean bare = image.table().scheme() == PartitionScheme.NONE;
        if (!bare) {
            devices.add(new Device("hd0", Optional.empty(), Optional.empty()));
        }
        for (Partition p : image.table().partitions()) {
            String name = p.grubName().substring(1, p.grubName().length() - 1);
            Optional<FatFileSystem> fs = open(p);
            fileSystems.put(name, fs);
            devices.add(new Device(name, fs.map(FatFileSystem::uuid), fs.flatMap(FatFileSystem::label)));
        }
    }

    static EspDiskView open(Path path) throws IOException {
        EspImage image = EspImage.open(path);
        try {
            return new EspDiskView(image);
        } catch (IOException | RuntimeException e) {
            image.close();
            throw e;
        }
    }

    private Optional<FatFileSystem> open(Partition p) throws IOException {
        try {
            return Optional.of(FatFileSystem.open(image.device(p)));
        } catch (DiskFormatException notFat) {
            return Optional.empty();
        }
    }

    /** The image itself, for the loaders that read kernels from it. */
    EspImage image() {
        return image;
    }

    /** The GRUB name ({@code hd0,gpt1}) of the partition esp-fs takes for the ESP. */
    String espName() throws IOException {
        String name = image.partition(null).grubName();
        return name.substring(1, name.length() - 1);
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    private Optional<FatFileSystem> fs(String device) {
        return fileSystems.getOrDefault(device, Optional.empty());
    }

    @Override
    public Optional<FileInfo> stat(String device, String path) throws IOException {
        Optional<FatFileSystem> fs = fs(device);
        if (fs.isEmpty()) {
            return Optional.empty();
        }
        return fs.get().find(path).map(e -> new FileInfo(e.isDirectory(), e.size()));
    }

    @Override
    public byte[] read(String device, String path) throws IOException {
        FatFileSystem fs = fs(device).orElseThrow(() -> new NoSuchFileException("(" + device + ")" + path));
        FatEntry entry = fs.find(path).orElseThrow(() -> new NoSuchFileException("(" + device + ")" + path));
        if (entry.isDirectory()) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        if (entry.size() > MAX_READ) {
            throw new IOException("(" + device + ")" + path + ": " + entry.size() + " bytes, more than the "
                    + (MAX_READ >> 20) + " MiB a script may read (unsupported)");
        }
        try (InputStream in = fs.newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    @Override
    public List<DirEntry> list(String device, String path) throws IOException {
        FatFileSystem fs = fs(device).orElseThrow(() -> new NoSuchFileException("(" + device + ")" + path));
        FatEntry dir = fs.find(path).orElseThrow(() -> new NoSuchFileException("(" + device + ")" + path));
        if (!dir.isDirectory()) {
            throw new NotDirectoryException("(" + device + ")" + path);
        }
        List<DirEntry> out = new ArrayList<>();
        for (FatEntry e : fs.list(dir)) {
            out.add(new DirEntry(e.name(), e.isDirectory(), e.size()));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        image.close();
    }
}
