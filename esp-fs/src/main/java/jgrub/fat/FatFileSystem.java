package jgrub.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.fs.ListingCache;
import jgrub.fs.Lookup;

/**
 * A FAT12, FAT16 or FAT32 file system on a {@link BlockDevice}, read-only. Paths are absolute or relative to the
 * root, use {@code /} or {@code \}, and are looked up case-insensitively as GRUB does, or as UEFI firmware does
 * (see {@link FatLookup}). Files are read straight from the device, never held whole in the heap. Thread-safe.
 *
 * <p>Corrupt structures raise {@link FatFormatException}, reads past the end of a truncated image
 * {@link jgrub.disk.DiskFormatException}; a missing path {@link NoSuchFileException}, a file used as a directory
 * {@link NotDirectoryException}.
 */
public final class FatFileSystem implements FileSystem {

    /** Directory listings kept, counted in entries: 65536 is one maximal directory (FAT specification 6.1). */
    private static final int MAX_CACHED_ENTRIES = 4 * 65536;
    /** Deeper trees are refused rather than walked: GRUB and Linux limit paths to 4096 bytes anyway. */
    static final int MAX_DEPTH = 256;

    private final BlockDevice device;
    private final BootSector boot;
    private final FatTable fat;
    private final Directories directories;
    private final FatEntry root;
    private final ListingCache<Directories.Listing> cache =
            new ListingCache<>(MAX_CACHED_ENTRIES, listing -> listing.entries().size());
    private final String label;
    private final List<String> warnings;
    /** Free clusters once counted: the file system is read-only, so the count holds for the whole run. */
    private long freeClusters = -1;

    private FatFileSystem(BlockDevice device, BootSector boot) throws IOException {
        this.device = device;
        this.boot = boot;
        this.fat = new FatTable(device, boot);
        this.directories = new Directories(this);
        this.root = new FatEntry("/", "/", FatEntry.DIRECTORY, 0, boot.rootCluster(), null, null, null, "", -1);
        this.label = listing(root).label();
        this.warnings = warnings(device, boot, uuid());
    }

    /**
     * GRUB mounts a volume that claims more sectors than its partition holds, or more clusters than its FAT has
     * entries for, and fails only a read that needs what is missing; jgrub does the same and says so once.
     */
    private static List<String> warnings(BlockDevice device, BootSector boot, String uuid) {
        List<String> warnings = new ArrayList<>();
        if (boot.volumeBytes() > device.size()) {
            warnings.add("FAT file system " + uuid + ": TotalSectors 0x" + Directories.hex(boot.totalSectors())
                    + " make 0x" + Directories.hex(boot.volumeBytes()) + " bytes, its partition holds 0x"
                    + Directories.hex(device.size()) + "; what lies past the partition's end cannot be read");
        }
        if (boot.fatEntries() < boot.clusterCount() + 2) {
            warnings.add("FAT file system " + uuid + ": its FAT has entries for clusters up to 0x"
                    + Directories.hex(boot.fatEntries() - 1) + " of the 0x" + Directories.hex(boot.maxCluster())
                    + " its size makes; files in clusters past them cannot be read");
        }
        return List.copyOf(warnings);
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    /** Opens the file system that starts at byte 0 of {@code device} (a partition or a bare FAT image). */
    public static FatFileSystem open(BlockDevice device) throws IOException {
        return new FatFileSystem(device, BootSector.read(device));
    }

    @Override
    public String typeName() {
        return "fat";
    }

    public FatType type() {
        return boot.type();
    }

    /** The volume label as GRUB reports it: the root directory's volume-label entry, if there is one. */
    @Override
    public Optional<String> label() {
        return Optional.ofNullable(label);
    }

    /** The volume serial number (BS_VolID). */
    public long serial() {
        return boot.volumeId();
    }

    /** The serial as GRUB prints it and {@code search --fs-uuid} matches it: {@code 1234-ABCD}. */
    @Override
    public String uuid() {
        return String.format(Locale.ROOT, "%04X-%04X", boot.volumeId() >>> 16, boot.volumeId() & 0xFFFF);
    }

    public int bytesPerSector() {
        return boot.bytesPerSector();
    }

    public int clusterSize() {
        return boot.clusterSize();
    }

    public long clusterCount() {
        return boot.clusterCount();
    }

    /** Bytes in data clusters. */
    @Override
    public long totalBytes() {
        return boot.clusterCount() * boot.clusterSize();
    }

    @Override
    public long freeBytes() throws IOException {
        return freeClusters() * boot.clusterSize();
    }

    /** The cluster size. */
    @Override
    public int blockSize() {
        return boot.clusterSize();
    }

    /**
     * Free clusters, counted in the FAT (FSINFO is only a hint and FAT12/16 have none). Reads the whole FAT on the
     * first call: about 1 MiB per 256 Ki clusters.
     */
    public synchronized long freeClusters() throws IOException {
        if (freeClusters < 0) {
            long free = 0;
            // Clusters whose entries are missing (past the FAT's or the partition's end) are not counted free.
            for (long c = 2; c <= Math.min(boot.maxCluster(), fat.lastReadable()); c++) {
                if (fat.get(c) == 0) {
                    free++;
                }
            }
            freeClusters = free;
        }
        return freeClusters;
    }

    @Override
    public FatEntry root() {
        return root;
    }

    /** The entry at {@code path}, matched as GRUB does ({@link Lookup#GRUB}). */
    @Override
    public FatEntry entry(String path) throws IOException {
        return entry(path, Lookup.GRUB);
    }

    /** The entry at {@code path}; {@code .} and {@code ..} are resolved by name, as GRUB does. */
    @Override
    public FatEntry entry(String path, Lookup lookup) throws IOException {
        List<FatEntry> trail = new ArrayList<>();
        trail.add(root);
        for (String component : path.split("[/\\\\]+")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (trail.size() > 1) {
                    trail.remove(trail.size() - 1);
                }
                continue;
            }
            FatEntry dir = trail.get(trail.size() - 1);
            if (!dir.isDirectory()) {
                throw new NotDirectoryException(dir.path());
            }
            FatEntry found = null;
            for (FatEntry e : listing(dir).entries()) {
                if (FatLookup.matches(lookup, e, component)) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                // The path as it was looked up: /boot/grub/../../zz looked for /zz.
                throw new NoSuchFileException((dir.path().endsWith("/") ? dir.path() : dir.path() + "/") + component);
            }
            if (found.isDirectory()) {
                checkDirectory(found, trail);
            }
            trail.add(found);
        }
        return trail.get(trail.size() - 1);
    }

    /** A subdirectory must have its own clusters: cluster 0 (the root) or an ancestor's cluster makes a cycle. */
    private void checkDirectory(FatEntry dir, List<FatEntry> ancestors) throws FatFormatException {
        long cluster = dir.firstCluster();
        String structure = "directory entry " + dir.path();
        long offset = dir.entryOffset() + FatLayout.DIR_FST_CLUS_LO;
        if (cluster == 0 || cluster == 1) {
            throw FatFormatException.corrupt(structure, "first cluster", cluster, offset,
                    "a subdirectory needs a data cluster");
        }
        checkCluster(structure, "first cluster", cluster, offset);
        for (FatEntry ancestor : ancestors) {
            if (ancestor.firstCluster() == cluster) {
                throw FatFormatException.corrupt(structure, "first cluster", cluster, offset,
                        "a directory cycle: it is the cluster of " + ancestor.path());
            }
        }
    }

    /** The entry at {@code path} if there is one (GRUB matching). */
    @Override
    public Optional<FatEntry> find(String path) throws IOException {
        return find(path, Lookup.GRUB);
    }

    @Override
    public Optional<FatEntry> find(String path, Lookup lookup) throws IOException {
        try {
            return Optional.of(entry(path, lookup));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        }
    }

    /** The entries of the directory at {@code path}, in on-disk order, without {@code .}, {@code ..} and labels. */
    @Override
    public List<FatEntry> list(String path) throws IOException {
        return list(entry(path));
    }

    @Override
    public List<FatEntry> list(FileEntry dir) throws IOException {
        return list(own(dir));
    }

    public List<FatEntry> list(FatEntry dir) throws IOException {
        if (!dir.isDirectory()) {
            throw new NotDirectoryException(dir.path());
        }
        return listing(dir).entries();
    }

    private Directories.Listing listing(FatEntry dir) throws IOException {
        return cache.get(dir.isRoot() ? -1 : dir.firstCluster(), () -> {
            if (!dir.isRoot()) {
                checkCluster("directory entry " + dir.path(), "first cluster", dir.firstCluster(),
                        dir.entryOffset() + FatLayout.DIR_FST_CLUS_LO);
            }
            return directories.read(dir);
        });
    }

    /** Called by {@link #walk} for every file and directory below the start, parents before children. */
    @FunctionalInterface
    public interface Visitor {
        void visit(FatEntry entry, int depth) throws IOException;
    }

    /**
     * Visits every entry below {@code dir}, depth first. A subdirectory that points back at an ancestor (a directory
     * cycle) raises {@link FatFormatException} instead of recursing forever.
     */
    public void walk(FatEntry dir, Visitor visitor) throws IOException {
        List<FatEntry> trail = new ArrayList<>();
        trail.add(root);
        if (!dir.isRoot()) {
            trail.add(dir);
        }
        walk(trail, visitor);
    }

    private void walk(List<FatEntry> trail, Visitor visitor) throws IOException {
        FatEntry dir = trail.get(trail.size() - 1);
        if (trail.size() > MAX_DEPTH) {
            throw FatFormatException.unsupported("directory " + dir.path(), "depth", trail.size() - 1,
                    dir.entryOffset(), "directories nested deeper than " + MAX_DEPTH + " levels");
        }
        for (FatEntry e : list(dir)) {
            visitor.visit(e, trail.size() - 1);
            if (e.isDirectory()) {
                checkDirectory(e, trail);
                trail.add(e);
                walk(trail, visitor);
                trail.remove(trail.size() - 1);
            }
        }
    }

    /** Opens the file at {@code path} for reading; its cluster chain is checked against its size first. */
    @Override
    public FatFile open(String path) throws IOException {
        return open(entry(path));
    }

    @Override
    public FatFile open(FileEntry file) throws IOException {
        return open(own(file));
    }

    public FatFile open(FatEntry file) throws IOException {
        if (file.isDirectory()) {
            throw new FileSystemException(file.path(), null, "is a directory");
        }
        return FatFile.open(this, file);
    }

    /** Entries of a FAT file system are {@link FatEntry}s; another file system's entry is a caller's mistake. */
    private static FatEntry own(FileEntry entry) {
        if (entry instanceof FatEntry fat) {
            return fat;
        }
        throw new IllegalArgumentException(entry.path() + ": not an entry of a FAT file system");
    }

    void checkCluster(String structure, String field, long cluster, long offset) throws FatFormatException {
        if (cluster < 2 || cluster > boot.maxCluster()) {
            throw FatFormatException.corrupt(structure, field, cluster, offset, "not a data cluster 0x2..0x"
                    + Directories.hex(boot.maxCluster()));
        }
    }

    /** Checks that {@code next}, read from {@code cluster}'s FAT entry, is a data cluster that continues a chain. */
    void checkLink(String structure, long cluster, long next) throws FatFormatException {
        long offset = fat.entryImageOffset(cluster);
        if (next == 0) {
            throw FatFormatException.corrupt(structure, "entry", next, offset, "cluster 0x" + Directories.hex(cluster)
                    + " is marked free inside the chain");
        }
        if (next == boot.type().badMark()) {
            throw FatFormatException.corrupt(structure, "entry", next, offset, "cluster 0x" + Directories.hex(cluster)
                    + " leads to a cluster marked bad");
        }
        if (next < 2 || next > boot.maxCluster()) {
            throw FatFormatException.corrupt(structure, "entry", next, offset, "cluster 0x" + Directories.hex(cluster)
                    + " leads out of the data clusters 0x2..0x" + Directories.hex(boot.maxCluster()));
        }
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset}, which start in {@code cluster} (-1: the FAT12/16 root
     * directory); a read that would cross the partition's end names the first cluster past it.
     */
    void read(String structure, long cluster, long offset, ByteBuffer dst) throws IOException {
        checkInPartition(structure, cluster, offset, dst.remaining());
        device.read(offset, dst);
    }

    void checkInPartition(String structure, long cluster, long offset, long length) throws FatFormatException {
        long end = device.size();
        if (offset <= end && length <= end - offset) {
            return;
        }
        String detail = "past the end of the partition at 0x" + Directories.hex(device.imageOffset(end))
                + "; the file system claims 0x" + Directories.hex(boot.volumeBytes()) + " bytes";
        if (cluster < 0) {
            throw FatFormatException.corrupt(structure, "sector", offset / boot.bytesPerSector(),
                    device.imageOffset(offset), detail);
        }
        long missing = cluster + Math.max(0, end - offset) / boot.clusterSize();
        throw FatFormatException.corrupt(structure, "cluster", missing, device.imageOffset(clusterOffset(missing)),
                detail);
    }

    long clusterOffset(long cluster) {
        return boot.dataOffset() + (cluster - 2) * boot.clusterSize();
    }

    BlockDevice device() {
        return device;
    }

    BootSector boot() {
        return boot;
    }

    FatTable fat() {
        return fat;
    }
}
