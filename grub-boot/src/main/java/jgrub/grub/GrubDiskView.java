package jgrub.grub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.config.eval.DiskView;
import jgrub.disk.DiskFormatException;
import jgrub.fs.Disk;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.part.Partition;

/**
 * The disk as the evaluator sees it (GRUB's devices), over the one {@link Disk}: the disk as {@code hd0}, its partitions with GRUB's names
 * ({@code hd0,gpt1}), and the files of those that hold a file system jgrub reads (the disk's, opened once). Partitions
 * with another file system are listed but not readable, so checks on them are skipped rather than failed.
 */
final class GrubDiskView implements DiskView {

    /** Largest file the evaluator reads whole (configs, grubenv). */
    static final long MAX_READ = 16L << 20;

    private final List<Device> devices = new ArrayList<>();
    private final Map<String, FileSystem> fileSystems = new LinkedHashMap<>();
    private final Map<String, FileDigest> digests = new HashMap<>();
    /** Why each partition without a readable file system has none: the reader's own words. */
    private final Map<String, String> unreadable = new LinkedHashMap<>();

    GrubDiskView(Disk disk) throws IOException {
        devices.add(new Device("hd0", Optional.empty(), Optional.empty()));
        for (Partition partition : disk.table().partitions()) {
            String name = partition.device();
            Optional<FileSystem> fs;
            try {
                fs = Optional.of(disk.fileSystem(partition));
            } catch (DiskFormatException e) {
                unreadable.put(name, e.getMessage());
                fs = Optional.empty();
            }
            if (fs.isEmpty()) {
                devices.add(new Device(name, Optional.empty(), Optional.empty()));
                continue;
            }
            fileSystems.put(name, fs.get());
            Device device = new Device(name, Optional.of(fs.get().uuid()), fs.get().label());
            if ("hd0".equals(name)) {
                devices.set(0, device);
            } else {
                devices.add(device);
            }
        }
    }

    /** {@code (hd0,gpt1): FAT boot sector: corrupt ...; ...}: why the partitions jgrub cannot read are unread. */
    String unreadableReasons() {
        List<String> reasons = new ArrayList<>();
        unreadable.forEach((device, why) -> reasons.add("(" + device + "): " + why));
        return String.join("; ", reasons);
    }

    /** The first device holding a file system jgrub reads (the ESP on a usual disk). */
    Optional<String> firstFileSystem() {
        return fileSystems.keySet().stream().findFirst();
    }

    /** The GRUB name of the first readable partition holding {@code path}, in device order. */
    Optional<String> find(String path) throws IOException {
        for (Map.Entry<String, FileSystem> e : fileSystems.entrySet()) {
            Optional<? extends FileEntry> entry = e.getValue().find(path);
            if (entry.isPresent() && !entry.get().isDirectory()) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Every readable file matching {@code /EFI/&#42;/grub.cfg}, by device. */
    List<String[]> vendorConfigs() throws IOException {
        return vendorFiles("grub.cfg");
    }

    /** Every readable file matching {@code /EFI/&#42;/NAME}, by device: {device, path}. */
    List<String[]> vendorFiles(String name) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, FileSystem> e : fileSystems.entrySet()) {
            FileSystem fs = e.getValue();
            if (!fs.isDirectory("/EFI")) {
                continue;
            }
            for (FileEntry dir : fs.list("/EFI")) {
                String path = "/EFI/" + dir.name() + "/" + name;
                if (dir.isDirectory() && fs.find(path).map(f -> !f.isDirectory()).orElse(false)) {
                    out.add(new String[] {e.getKey(), path});
                }
            }
        }
        return out;
    }

    /**
     * The size and SHA-256 of a file, read as a stream (kernels and initrds may be large); empty when there is no
     * such file or the device is not readable. Each file is hashed once per view.
     */
    Optional<FileDigest> digest(String device, String path) throws IOException {
        String key = "(" + device + ")" + path;
        FileDigest known = digests.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        FileSystem fs = fileSystems.get(device);
        Optional<? extends FileEntry> entry = fs == null ? Optional.empty() : fs.find(path);
        if (entry.isEmpty() || entry.get().isDirectory()) {
            return Optional.empty();
        }
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        try (InputStream in = fs.open(entry.get()).newInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; size += n) {
                sha256.update(buffer, 0, n);
            }
        }
        FileDigest digest = new FileDigest(size, HexFormat.of().formatHex(sha256.digest()));
        digests.put(key, digest);
        return Optional.of(digest);
    }

    /** A file's length in bytes and its SHA-256 in lower-case hex. */
    record FileDigest(long size, String sha256) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The partitions with a file system, and the whole disk when it has a partition table (then it holds none). */
    @Override
    public boolean readable(String device) {
        return fileSystems.containsKey(device) || "hd0".equals(device) && devices.size() > 1;
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    @Override
    public Optional<FileInfo> stat(String device, String path) throws IOException {
        FileSystem fs = fileSystems.get(device);
        if (fs == null) {
            return Optional.empty();
        }
        return fs.find(path).map(e -> new FileInfo(e.isDirectory(), e.size()));
    }

    @Override
    public byte[] read(String device, String path) throws IOException {
        return read(device, path, MAX_READ, "a config or grubenv");
    }

    /** The whole file, refused when larger than {@code limit} bytes, which is the most that {@code what} can be. */
    byte[] read(String device, String path, long limit, String what) throws IOException {
        FileSystem fs = fileSystems.get(device);
        Optional<? extends FileEntry> entry = fs == null ? Optional.empty() : fs.find(path);
        if (entry.isEmpty() || entry.get().isDirectory()) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        if (entry.get().size() > limit) {
            throw new IOException("(" + device + ")" + path + ": " + entry.get().size()
                    + " bytes, more than " + what + " can be (unsupported)");
        }
        return fs.readAllBytes(entry.get());
    }

    @Override
    public List<DirEntry> list(String device, String path) throws IOException {
        FileSystem fs = fileSystems.get(device);
        Optional<? extends FileEntry> dir = fs == null ? Optional.empty() : fs.find(path);
        if (dir.isEmpty()) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        if (!dir.get().isDirectory()) {
            throw new NotDirectoryException("(" + device + ")" + path);
        }
        List<DirEntry> out = new ArrayList<>();
        for (FileEntry e : fs.list(dir.get())) {
            out.add(new DirEntry(e.name(), e.isDirectory(), e.size()));
        }
        return out;
    }
}
