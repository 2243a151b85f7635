package jgrub.fat.write;

import static jgrub.fat.FatLayout.ATTR_LONG_NAME;
import static jgrub.fat.FatLayout.BOOT_SIGNATURE;
import static jgrub.fat.FatLayout.BPB_BK_BOOT_SEC;
import static jgrub.fat.FatLayout.BPB_BYTS_PER_SEC;
import static jgrub.fat.FatLayout.BPB_EXT_FLAGS;
import static jgrub.fat.FatLayout.BPB_FAT_SZ16;
import static jgrub.fat.FatLayout.BPB_FAT_SZ32;
import static jgrub.fat.FatLayout.BPB_FS_INFO;
import static jgrub.fat.FatLayout.BPB_FS_VER;
import static jgrub.fat.FatLayout.BPB_HIDD_SEC;
import static jgrub.fat.FatLayout.BPB_MEDIA;
import static jgrub.fat.FatLayout.BPB_NUM_FATS;
import static jgrub.fat.FatLayout.BPB_NUM_HEADS;
import static jgrub.fat.FatLayout.BPB_ROOT_CLUS;
import static jgrub.fat.FatLayout.BPB_ROOT_ENT_CNT;
import static jgrub.fat.FatLayout.BPB_RSVD_SEC_CNT;
import static jgrub.fat.FatLayout.BPB_SEC_PER_CLUS;
import static jgrub.fat.FatLayout.BPB_SEC_PER_TRK;
import static jgrub.fat.FatLayout.BPB_TOT_SEC16;
import static jgrub.fat.FatLayout.BPB_TOT_SEC32;
import static jgrub.fat.FatLayout.BS_BOOT_CODE_16;
import static jgrub.fat.FatLayout.BS_BOOT_CODE_32;
import static jgrub.fat.FatLayout.BS_BOOT_SIG_16;
import static jgrub.fat.FatLayout.BS_BOOT_SIG_32;
import static jgrub.fat.FatLayout.BS_DRV_NUM_16;
import static jgrub.fat.FatLayout.BS_DRV_NUM_32;
import static jgrub.fat.FatLayout.BS_FIL_SYS_TYPE_16;
import static jgrub.fat.FatLayout.BS_FIL_SYS_TYPE_32;
import static jgrub.fat.FatLayout.BS_JMP_BOOT;
import static jgrub.fat.FatLayout.BS_OEM_NAME;
import static jgrub.fat.FatLayout.BS_SIGNATURE;
import static jgrub.fat.FatLayout.BS_VOL_ID_16;
import static jgrub.fat.FatLayout.BS_VOL_ID_32;
import static jgrub.fat.FatLayout.BS_VOL_LAB_16;
import static jgrub.fat.FatLayout.BS_VOL_LAB_32;
import static jgrub.fat.FatLayout.DIR_ATTR;
import static jgrub.fat.FatLayout.DIR_CRT_DATE;
import static jgrub.fat.FatLayout.DIR_CRT_TIME;
import static jgrub.fat.FatLayout.DIR_ENTRY_SIZE;
import static jgrub.fat.FatLayout.DIR_FILE_SIZE;
import static jgrub.fat.FatLayout.DIR_FST_CLUS_HI;
import static jgrub.fat.FatLayout.DIR_FST_CLUS_LO;
import static jgrub.fat.FatLayout.DIR_LST_ACC_DATE;
import static jgrub.fat.FatLayout.DIR_NAME;
import static jgrub.fat.FatLayout.DIR_WRT_DATE;
import static jgrub.fat.FatLayout.DIR_WRT_TIME;
import static jgrub.fat.FatLayout.EXTENDED_BOOT_SIGNATURE;
import static jgrub.fat.FatLayout.FSI_FREE_COUNT;
import static jgrub.fat.FatLayout.FSI_LEAD_SIG;
import static jgrub.fat.FatLayout.FSI_LEAD_SIG_VALUE;
import static jgrub.fat.FatLayout.FSI_NXT_FREE;
import static jgrub.fat.FatLayout.FSI_STRUC_SIG;
import static jgrub.fat.FatLayout.FSI_STRUC_SIG_VALUE;
import static jgrub.fat.FatLayout.FSI_TRAIL_SIG;
import static jgrub.fat.FatLayout.FSI_TRAIL_SIG_VALUE;
import static jgrub.fat.FatLayout.LAST_LONG_ENTRY;
import static jgrub.fat.FatLayout.LDIR_ATTR;
import static jgrub.fat.FatLayout.LDIR_CHARS;
import static jgrub.fat.FatLayout.LDIR_CHKSUM;
import static jgrub.fat.FatLayout.LDIR_FST_CLUS_LO;
import static jgrub.fat.FatLayout.LDIR_ORD;
import static jgrub.fat.FatLayout.LDIR_TYPE;
import static jgrub.fat.FatLayout.NAME_LENGTH;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import jgrub.disk.DiskFormatException;
import jgrub.fat.FatEntry;
import jgrub.fat.FatFormatException;
import jgrub.fat.FatLayout;
import jgrub.fat.FatType;
import jgrub.fat.ShortNames;
import jgrub.part.GptWriter;
import jgrub.part.Guids;

/**
 * Builds a test ESP from host files: a GPT disk with one EFI System Partition, or a bare FAT image. FAT type by size
 * unless given; directories created as needed; long names with unique 8.3 aliases; files contiguous. The output
 * passes {@code fsck.fat -n} and reads back identically with mtools.
 *
 * <pre>{@code
 * new EspBuilder(64L << 20).label("ESP").add(Path.of("xen.efi"), "/EFI/BOOT/BOOTX64.EFI").write(out, false);
 * }</pre>
 */
public final class EspBuilder {

    private static final int SECTOR = 512;
    /** Where FAT32's FSINFO and the backup boot sector go (BPB_FSInfo, BPB_BkBootSec); FSINFO's backup follows. */
    private static final int FS_INFO_SECTOR = 1;
    private static final int BACKUP_BOOT_SECTOR = 6;
    private static final long MAX_FILE = 0xFFFFFFFFL;
    private static final String STRUCTURE = "mkesp";

    private final long size;
    private FatType type;
    private String label;
    private boolean partitionTable = true;
    private long serial = -1;
    private final Dir root = new Dir("", null);

    /** An image of {@code size} bytes (a multiple of 512). */
    public EspBuilder(long size) {
        this.size = size;
    }

    /** FAT12, FAT16 or FAT32; by default FAT32 from 512 MiB, else FAT16 when it fits, else FAT12. */
    public EspBuilder fatType(FatType fatType) {
        this.type = fatType;
        return this;
    }

    /** Volume label, up to 11 characters; stored upper-case in the boot sector and the root directory. */
    public EspBuilder label(String volumeLabel) {
        this.label = volumeLabel;
        return this;
    }

    /** A bare FAT image instead of a GPT disk. */
    public EspBuilder partitionTable(boolean withTable) {
        this.partitionTable = withTable;
        return this;
    }

    /** The volume serial (GRUB's fs-uuid); by default derived from the clock, as mkfs.fat does. */
    public EspBuilder serial(long volumeSerial) {
        this.serial = volumeSerial & 0xFFFFFFFFL;
        return this;
    }

    /**
     * Adds a host file at {@code espPath}, or a host directory's contents (recursively) under {@code espPath}. An
     * {@code espPath} ending in {@code /} names the directory a file goes into.
     */
    public EspBuilder add(Path host, String espPath) throws IOException {
        List<String> components = components(espPath);
        boolean intoDirectory = espPath.endsWith("/") || espPath.endsWith("\\") || components.isEmpty();
        if (Files.isDirectory(host)) {
            Dir dir = root;
            for (String c : components) {
                dir = dir.subdirectory(c);
            }
            addTree(host, dir);
            return this;
        }
        if (!Files.isRegularFile(host)) {
            throw new java.nio.file.NoSuchFileException(host.toString());
        }
        if (intoDirectory) {
            components.add(host.getFileName().toString());
            checkName(host.getFileName().toString());
        }
        Dir dir = root;
        for (String c : components.subList(0, components.size() - 1)) {
            dir = dir.subdirectory(c);
        }
        dir.file(components.get(components.size() - 1), host);
        return this;
    }

    private void addTree(Path hostDir, Dir dir) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(hostDir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            checkName(name);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                addTree(child, dir.subdirectory(name));
            } else if (Files.isRegularFile(child)) {
                dir.file(name, child);
            }
        }
    }

    private static List<String> components(String espPath) throws FatFormatException {
        List<String> out = new ArrayList<>();
        for (String c : espPath.split("[/\\\\]+")) {
            if (!c.isEmpty()) {
                checkName(c);
                out.add(c);
            }
        }
        return out;
    }

    /** Long-name rules (FAT specification 7.1): 1-255 characters, none of {@code "*\/:<>?\|} or controls. */
    private static void checkName(String name) throws FatFormatException {
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.endsWith(".")
                || name.endsWith(" ")) {
            throw unsupported("name '" + name + "': must have 1-255 characters and not end in '.' or ' '");
        }
        for (char c : name.toCharArray()) {
            if (c < 0x20 || "\"*/:<>?\\|".indexOf(c) >= 0) {
                throw unsupported("name '" + name + "': character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + " is not allowed in FAT names");
            }
        }
    }

    private static FatFormatException unsupported(String message) {
        return new FatFormatException(DiskFormatException.Kind.UNSUPPORTED, STRUCTURE, message);
    }

    // ---- the tree ----

    private abstract static class Node {
        final String name;
        byte[] shortName;
        long cluster;
        long clusters;

        Node(String name) {
            this.name = name;
        }

        boolean needsLongName() {
            return !ShortNameGenerator.isPlain(name);
        }

        int entries() {
            return 1 + (needsLongName() ? (name.length() + LDIR_CHARS - 1) / LDIR_CHARS : 0);
        }
    }

    private static final class FileNode extends Node {
        final Path host;
        final long size;
        final LocalDateTime modified;

        FileNode(String name, Path host) throws IOException {
            super(name);
            this.host = host;
            this.size = Files.size(host);
            this.modified = LocalDateTime.ofInstant(Files.getLastModifiedTime(host).toInstant(),
                    ZoneId.systemDefault());
            if (size > MAX_FILE) {
                throw unsupported(host + ": " + size + " bytes; FAT files hold at most 4 GiB - 1");
            }
        }
    }

    private static final class Dir extends Node {
        final Dir parent;
        final Map<String, Node> children = new LinkedHashMap<>();

        Dir(String name, Dir parent) {
            super(name);
            this.parent = parent;
        }

        Dir subdirectory(String name) throws FatFormatException {
            Node existing = children.get(key(name));
            if (existing instanceof Dir dir) {
                return dir;
            }
            if (existing != null) {
                throw unsupported(path() + name + ": both a file and a directory");
            }
            Dir dir = new Dir(name, this);
            children.put(key(name), dir);
            return dir;
        }

        void file(String name, Path host) throws IOException {
            if (children.containsKey(key(name))) {
                throw unsupported(path() + name + ": given twice (FAT names are case-insensitive)");
            }
            children.put(key(name), new FileNode(name, host));
        }

        String path() {
            return parent == null ? "/" : parent.path() + name + "/";
        }

        static String key(String name) {
            return name.toUpperCase(Locale.ROOT);
        }
    }

    // ---- layout ----

    /** Where everything goes. */
    private record Geometry(FatType type, int sectorsPerCluster, int reserved, int rootEntries, long fatSectors,
            long totalSectors, long clusters) {

        int clusterSize() {
            return sectorsPerCluster * SECTOR;
        }

        long rootDirSectors() {
            return (rootEntries * (long) DIR_ENTRY_SIZE + SECTOR - 1) / SECTOR;
        }

        long fatOffset(int copy) {
            return (reserved + copy * fatSectors) * SECTOR;
        }

        long rootDirOffset() {
            return fatOffset(2);
        }

        long clusterOffset(long cluster) {
            return rootDirOffset() + rootDirSectors() * SECTOR + (cluster - 2) * clusterSize();
        }
    }

    private static Geometry geometry(FatType type, int spc, long totalSectors, int rootEntries) {
        int reserved = type == FatType.FAT32 ? 32 : 1;
        int entries = type == FatType.FAT32 ? 0 : rootEntries;
        long rootSectors = (entries * (long) DIR_ENTRY_SIZE + SECTOR - 1) / SECTOR;
        long fat = 1;
        while (true) {
            long data = totalSectors - reserved - 2 * fat - rootSectors;
            if (data <= 0) {
                return null;
            }
            long clusters = data / spc;
            long need = ((clusters + 2) * type.bits() / 8 + SECTOR) / SECTOR;
            if (need <= fat) {
                return new Geometry(type, spc, reserved, entries, fat, totalSectors, clusters);
            }
            fat = need;
        }
    }

    /** The smallest cluster that gives a valid count for {@code type} (FAT32 starts from Microsoft's table). */
    private static Geometry choose(FatType type, long totalSectors, int rootEntries) {
        long bytes = totalSectors * SECTOR;
        int start = 1;
        if (type == FatType.FAT32) {
            start = bytes <= (260L << 20) ? 1 : bytes <= (8L << 30) ? 8 : bytes <= (16L << 30) ? 16
                    : bytes <= (32L << 30) ? 32 : 64;
        }
        for (int spc = start; spc <= 128; spc *= 2) {
            Geometry g = geometry(type, spc, totalSectors, rootEntries);
            if (g != null && g.clusters() <= type.maxClusters()) {
                return g.clusters() >= type.minClusters() ? g : null;
            }
        }
        return null;
    }

    // ---- writing ----

    /**
     * Writes the image to {@code out}. An existing {@code out} is replaced only if {@code overwrite}; the image is
     * built beside it and moved into place, so a failure leaves nothing half-written.
     */
    public void write(Path out, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(out.toString());
        }
        if (size <= 0 || size % SECTOR != 0) {
            throw unsupported("size " + size + ": must be a positive multiple of 512 bytes");
        }
        long diskSectors = size / SECTOR;
        long first = partitionTable ? GptWriter.FIRST_LBA : 0;
        long last = partitionTable ? GptWriter.lastUsableLba(diskSectors) : diskSectors - 1;
        long fsSectors = last - first + 1;
        if (fsSectors < 64) {
            throw unsupported("size " + size + ": too small for " + (partitionTable
                    ? "a GPT disk with a FAT partition (at least 1.1 MiB)" : "a FAT file system (at least 32 KiB)"));
        }
        String volumeLabel = checkLabel();
        assignShortNames(root);
        int rootEntries = (int) Math.min(65535 & ~15, Math.max(512, roundUp(dirEntries(root, volumeLabel), 16)));
        Geometry g = pickGeometry(fsSectors, rootEntries);
        long used = allocate(g);
        if (used > g.clusters()) {
            throw unsupported("the files need " + used + " clusters of " + g.clusterSize() + " bytes; the "
                    + g.type() + " file system of " + fsSectors * SECTOR + " bytes has " + g.clusters()
                    + " (use a larger --size)");
        }
        if (g.type() != FatType.FAT32 && dirEntries(root, volumeLabel) > g.rootEntries()) {
            throw unsupported("the root directory needs more than " + g.rootEntries() + " entries");
        }
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, "." + out.getFileName(), ".tmp");
        try {
            try (RandomAccessFile file = new RandomAccessFile(tmp.toFile(), "rw")) {
                file.setLength(size);
                FileChannel channel = file.getChannel();
                if (partitionTable) {
                    for (GptWriter.Sector s : GptWriter.sectors(diskSectors, first, last, Guids.ESP,
                            UUID.randomUUID(), UUID.randomUUID(), "EFI System Partition")) {
                        writeFully(channel, s.data().duplicate().clear(), s.lba() * SECTOR);
                    }
                }
                writeFileSystem(channel, first * SECTOR, g, volumeLabel, used);
                channel.force(false);
            }
            try {
                // createTempFile made it owner-only; an image is an ordinary file.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the defaults
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Geometry pickGeometry(long fsSectors, int rootEntries) throws FatFormatException {
        if (type != null) {
            Geometry g = choose(type, fsSectors, rootEntries);
            if (g == null) {
                throw unsupported(type + " on " + fsSectors * SECTOR + " bytes: needs between " + type.minClusters()
                        + " and " + type.maxClusters() + " clusters" + (type == FatType.FAT32
                                ? " (at least 33 MiB)" : "") + "; pick another --size or --fat");
            }
            return g;
        }
        if (fsSectors * SECTOR >= (512L << 20)) {
            Geometry g = choose(FatType.FAT32, fsSectors, rootEntries);
            if (g != null) {
                return g;
            }
        }
        Geometry g = choose(FatType.FAT16, fsSectors, rootEntries);
        if (g == null) {
            g = choose(FatType.FAT12, fsSectors, rootEntries);
        }
        if (g == null) {
            throw unsupported("no FAT type fits " + fsSectors * SECTOR + " bytes");
        }
        return g;
    }

    private String checkLabel() throws FatFormatException {
        if (label == null || label.isEmpty()) {
            return null;
        }
        String upper = label.toUpperCase(Locale.ROOT);
        byte[] bytes = upper.getBytes(ShortNames.oemCharset());
        if (bytes.length > 11 || !new String(bytes, ShortNames.oemCharset()).equals(upper)) {
            throw unsupported("label '" + label + "': at most 11 characters of the DOS code page");
        }
        for (char c : upper.toCharArray()) {
            if (c < 0x20 || "\"*+,./:;<=>?[\\]|".indexOf(c) >= 0) {
                throw unsupported("label '" + label + "': character '" + c + "' is not allowed in a FAT label");
            }
        }
        return upper;
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    /** Plain 8.3 names first, so that no alias takes a name that a file has as its own. */
    private static void assignShortNames(Dir dir) {
        Set<String> taken = new HashSet<>();
        for (Node n : dir.children.values()) {
            if (!n.needsLongName()) {
                n.shortName = ShortNameGenerator.raw(n.name);
                taken.add(new String(n.shortName, StandardCharsets.ISO_8859_1));
            }
        }
        for (Node n : dir.children.values()) {
            if (n.needsLongName()) {
                n.shortName = ShortNameGenerator.alias(n.name, taken);
                taken.add(new String(n.shortName, StandardCharsets.ISO_8859_1));
            }
            if (n instanceof Dir sub) {
                assignShortNames(sub);
            }
        }
    }

    private static long dirEntries(Dir dir, String volumeLabel) {
        long entries = dir.parent == null ? (volumeLabel == null ? 0 : 1) : 2;
        for (Node n : dir.children.values()) {
            entries += n.entries();
        }
        return entries;
    }

    /** Gives every directory and file its contiguous clusters, root first; returns the clusters used. */
    private long allocate(Geometry g) {
        long[] next = {2};
        allocate(root, g, next);
        return next[0] - 2;
    }

    private void allocate(Dir dir, Geometry g, long[] next) {
        if (dir.parent != null || g.type() == FatType.FAT32) {
            long bytes = dirEntries(dir, label == null ? null : "") * DIR_ENTRY_SIZE;
            dir.clusters = Math.max(1, (bytes + g.clusterSize() - 1) / g.clusterSize());
            dir.cluster = next[0];
            next[0] += dir.clusters;
        }
        for (Node n : dir.children.values()) {
            if (n instanceof FileNode f) {
                f.clusters = (f.size + g.clusterSize() - 1) / g.clusterSize();
                f.cluster = f.clusters == 0 ? 0 : next[0];
                next[0] += f.clusters;
            }
        }
        for (Node n : dir.children.values()) {
            if (n instanceof Dir sub) {
                allocate(sub, g, next);
            }
        }
    }

    private void writeFileSystem(FileChannel channel, long base, Geometry g, String volumeLabel, long used)
            throws IOException {
        long volumeSerial = serial >= 0 ? serial : (System.currentTimeMillis() ^ System.nanoTime()) & 0xFFFFFFFFL;
        ByteBuffer boot = bootSector(g, base / SECTOR, volumeLabel, volumeSerial);
        writeFully(channel, boot.duplicate(), base);
        if (g.type() == FatType.FAT32) {
            ByteBuffer info = fsInfo(g.clusters() - used, used + 2);
            writeFully(channel, info.duplicate(), base + FS_INFO_SECTOR * SECTOR);
            writeFully(channel, boot.duplicate(), base + BACKUP_BOOT_SECTOR * SECTOR);
            writeFully(channel, info.duplicate(), base + (BACKUP_BOOT_SECTOR + 1) * SECTOR);
        }
        ByteBuffer fat = ByteBuffer.allocate((int) (g.fatSectors() * SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        FatType t = g.type();
        t.put(fat, 0, t.endOfChain() & ~0xFFL | 0xF8);
        // FAT[1]: end of chain with the clean-shutdown and no-error bits set (FAT specification 4.2).
        t.put(fat, 1, t.endOfChain());
        writeTree(channel, base, g, fat, root, volumeLabel);
        for (int copy = 0; copy < 2; copy++) {
            writeFully(channel, fat.duplicate().clear(), base + g.fatOffset(copy));
        }
    }

    private static void chain(ByteBuffer fat, FatType type, long first, long count) {
        for (long k = 0; k < count; k++) {
            type.put(fat, first + k, k == count - 1 ? type.endOfChain() : first + k + 1);
        }
    }

    private void writeTree(FileChannel channel, long base, Geometry g, ByteBuffer fat, Dir dir, String volumeLabel)
            throws IOException {
        boolean fixedRoot = dir.parent == null && g.type() != FatType.FAT32;
        long bytes = fixedRoot ? g.rootEntries() * (long) DIR_ENTRY_SIZE : dir.clusters * g.clusterSize();
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        LocalDateTime now = LocalDateTime.now();
        if (dir.parent == null) {
            if (volumeLabel != null) {
                byte[] name = String.format(Locale.ROOT, "%-11s", volumeLabel).getBytes(ShortNames.oemCharset());
                entry(data, name, FatEntry.VOLUME_ID, 0, 0, now);
            }
        } else {
            entry(data, ".          ".getBytes(StandardCharsets.US_ASCII), FatEntry.DIRECTORY, dir.cluster, 0, now);
            // ".." of a directory in the root points to cluster 0, on FAT32 too (FAT specification 6.7).
            long parentCluster = dir.parent.parent == null ? 0 : dir.parent.cluster;
            entry(data, "..         ".getBytes(StandardCharsets.US_ASCII), FatEntry.DIRECTORY, parentCluster, 0,
                    now);
        }
        for (Node n : dir.children.values()) {
            if (n.needsLongName()) {
                longName(data, n.name, ShortNames.checksum(n.shortName, 0));
            }
            if (n instanceof FileNode f) {
                entry(data, f.shortName, FatEntry.ARCHIVE, f.cluster, f.size, f.modified);
            } else {
                entry(data, n.shortName, FatEntry.DIRECTORY, n.cluster, 0, now);
            }
        }
        data.clear();
        if (fixedRoot) {
            writeFully(channel, data, base + g.rootDirOffset());
        } else {
            chain(fat, g.type(), dir.cluster, dir.clusters);
            writeFully(channel, data, base + g.clusterOffset(dir.cluster));
        }
        for (Node n : dir.children.values()) {
            if (n instanceof FileNode f && f.clusters > 0) {
                chain(fat, g.type(), f.cluster, f.clusters);
                copy(f, channel, base + g.clusterOffset(f.cluster));
            }
        }
        for (Node n : dir.children.values()) {
            if (n instanceof Dir sub) {
                writeTree(channel, base, g, fat, sub, volumeLabel);
            }
        }
    }

    private static void copy(FileNode f, FileChannel out, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(f.host, StandardOpenOption.READ)) {
            long done = 0;
            while (done < f.size) {
                long n = out.transferFrom(in, offset + done, f.size - done);
                if (n <= 0) {
                    throw new IOException(f.host + ": changed while being copied (" + done + " of " + f.size
                            + " bytes)");
                }
                done += n;
            }
        }
    }

    /** Long-name entries, last part first (FAT specification 7.1). */
    private static void longName(ByteBuffer data, String name, int checksum) {
        int parts = (name.length() + LDIR_CHARS - 1) / LDIR_CHARS;
        for (int part = parts; part >= 1; part--) {
            int at = data.position();
            data.put(at + LDIR_ORD, (byte) (part | (part == parts ? LAST_LONG_ENTRY : 0)));
            data.put(at + LDIR_ATTR, (byte) ATTR_LONG_NAME).put(at + LDIR_TYPE, (byte) 0)
                    .put(at + LDIR_CHKSUM, (byte) checksum);
            data.putShort(at + LDIR_FST_CLUS_LO, (short) 0);
            for (int k = 0; k < LDIR_CHARS; k++) {
                int index = (part - 1) * LDIR_CHARS + k;
                char c = index < name.length() ? name.charAt(index) : index == name.length() ? 0 : (char) 0xFFFF;
                data.putChar(at + FatLayout.ldirCharOffset(k), c);
            }
            data.position(at + DIR_ENTRY_SIZE);
        }
    }

    private static void entry(ByteBuffer data, byte[] name, int attr, long cluster, long size, LocalDateTime time) {
        int at = data.position();
        data.put(at + DIR_NAME, name, 0, NAME_LENGTH);
        data.put(at + DIR_ATTR, (byte) attr);
        short date = fatDate(time);
        short clock = fatTime(time);
        data.putShort(at + DIR_CRT_TIME, clock).putShort(at + DIR_CRT_DATE, date).putShort(at + DIR_LST_ACC_DATE, date);
        data.putShort(at + DIR_FST_CLUS_HI, (short) (cluster >>> 16));
        data.putShort(at + DIR_WRT_TIME, clock).putShort(at + DIR_WRT_DATE, date);
        data.putShort(at + DIR_FST_CLUS_LO, (short) cluster);
        data.putInt(at + DIR_FILE_SIZE, (int) size);
        data.position(at + DIR_ENTRY_SIZE);
    }

    private static short fatDate(LocalDateTime t) {
        int year = Math.max(1980, Math.min(2107, t.getYear()));
        if (year != t.getYear()) {
            return (short) ((year - 1980) << 9 | 1 << 5 | 1);
        }
        return (short) ((year - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth());
    }

    private static short fatTime(LocalDateTime t) {
        return (short) (t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2);
    }

    private ByteBuffer bootSector(Geometry g, long hidden, String volumeLabel, long volumeSerial) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        boolean fat32 = g.type() == FatType.FAT32;
        int codeAt = fat32 ? BS_BOOT_CODE_32 : BS_BOOT_CODE_16;
        // A short jump over the BPB to the boot code: EB rel8 90 (FAT specification 3.1).
        b.put(BS_JMP_BOOT, (byte) 0xEB).put(BS_JMP_BOOT + 1, (byte) (codeAt - 2)).put(BS_JMP_BOOT + 2, (byte) 0x90);
        b.put(BS_OEM_NAME, "MSWIN4.1".getBytes(StandardCharsets.US_ASCII));
        b.putShort(BPB_BYTS_PER_SEC, (short) SECTOR).put(BPB_SEC_PER_CLUS, (byte) g.sectorsPerCluster())
                .putShort(BPB_RSVD_SEC_CNT, (short) g.reserved());
        b.put(BPB_NUM_FATS, (byte) 2).putShort(BPB_ROOT_ENT_CNT, (short) g.rootEntries());
        boolean small = !fat32 && g.totalSectors() < 0x10000;
        b.putShort(BPB_TOT_SEC16, (short) (small ? g.totalSectors() : 0)).put(BPB_MEDIA, (byte) 0xF8);
        b.putShort(BPB_FAT_SZ16, (short) (fat32 ? 0 : g.fatSectors()));
        b.putShort(BPB_SEC_PER_TRK, (short) 63).putShort(BPB_NUM_HEADS, (short) 255)
                .putInt(BPB_HIDD_SEC, (int) hidden);
        b.putInt(BPB_TOT_SEC32, (int) (small ? 0 : g.totalSectors()));
        if (fat32) {
            b.putInt(BPB_FAT_SZ32, (int) g.fatSectors()).putShort(BPB_EXT_FLAGS, (short) 0)
                    .putShort(BPB_FS_VER, (short) 0).putInt(BPB_ROOT_CLUS, (int) root.cluster);
            b.putShort(BPB_FS_INFO, (short) FS_INFO_SECTOR).putShort(BPB_BK_BOOT_SEC, (short) BACKUP_BOOT_SECTOR);
        }
        b.put(fat32 ? BS_DRV_NUM_32 : BS_DRV_NUM_16, (byte) 0x80)
                .put(fat32 ? BS_BOOT_SIG_32 : BS_BOOT_SIG_16, (byte) EXTENDED_BOOT_SIGNATURE)
                .putInt(fat32 ? BS_VOL_ID_32 : BS_VOL_ID_16, (int) volumeSerial);
        String lab = String.format(Locale.ROOT, "%-11s", volumeLabel == null ? "NO NAME" : volumeLabel);
        b.put(fat32 ? BS_VOL_LAB_32 : BS_VOL_LAB_16, lab.getBytes(ShortNames.oemCharset()));
        b.put(fat32 ? BS_FIL_SYS_TYPE_32 : BS_FIL_SYS_TYPE_16,
                String.format(Locale.ROOT, "%-8s", g.type().name()).getBytes(StandardCharsets.US_ASCII));
        // Not bootable: "int 0x18" asks the BIOS for the next boot device, then halt.
        b.put(codeAt, (byte) 0xCD).put(codeAt + 1, (byte) 0x18).put(codeAt + 2, (byte) 0xF4);
        b.putShort(BS_SIGNATURE, (short) BOOT_SIGNATURE);
        return b;
    }

    private static ByteBuffer fsInfo(long free, long nextFree) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FSI_LEAD_SIG, FSI_LEAD_SIG_VALUE).putInt(FSI_STRUC_SIG, FSI_STRUC_SIG_VALUE)
                .putInt(FSI_FREE_COUNT, (int) free).putInt(FSI_NXT_FREE, (int) nextFree);
        b.putInt(FSI_TRAIL_SIG, FSI_TRAIL_SIG_VALUE);
        return b;
    }

    private static void writeFully(FileChannel channel, ByteBuffer data, long offset) throws IOException {
        while (data.hasRemaining()) {
            offset += channel.write(data, offset);
        }
    }
}
