package jgrub.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.fs.FileEntry;
import jgrub.fs.FileSystem;
import jgrub.fs.ListingCache;
import jgrub.fs.Lookup;

/**
 * An ext2, ext3 or ext4 file system, read-only, as GRUB's {@code ext2} module reads it: block maps and extent trees,
 * linear and htree directories (htree read linearly, as GRUB does), 64bit, flex_bg and meta_bg group descriptors,
 * huge_file, inline data, sparse files and files over 4 GiB. Names match exactly (case-sensitive bytes, UTF-8);
 * symlinks are followed up to {@link #MAX_SYMLINKS} deep. Paths use {@code /} only (a backslash is a name character
 * on ext, as in GRUB). With metadata_csum the superblock, group descriptor, inode, extent block and directory leaf
 * block checksums are verified. The journal is not replayed (GRUB does not either); a file system that
 * needs recovery opens with a {@link #warnings() warning}.
 *
 * <p>Corrupt or unsupported structures raise {@link ExtFormatException}; a missing path
 * {@link NoSuchFileException}, a file used as a directory {@link NotDirectoryException}, a symlink loop
 * {@link FileSystemLoopException}. Files are streamed ({@link ExtFile}). Thread-safe.
 */
public final class ExtFileSystem implements FileSystem {

    /** GRUB's fshelp gives up on the 8th symlink of one lookup ("too deep nesting of symlinks"). */
    static final int MAX_SYMLINKS = 8;
    /** Linux's PATH_MAX: a longer symlink target is corrupt. */
    static final int MAX_SYMLINK_LENGTH = 4096;
    /** Directories are listed whole into the heap; a bigger one (about 400,000 long names) is refused. */
    static final long MAX_DIRECTORY_BYTES = 32L << 20;
    /** Listings kept, counted in entries. */
    private static final int MAX_CACHED_ENTRIES = 4 * 65536;
    static final long ROOT_INODE = 2;

    // Group descriptor fields (group_descr.rst).
    static final int BG_INODE_TABLE_LO = 0x08;
    static final int BG_CHECKSUM = 0x1E;
    static final int BG_INODE_TABLE_HI = 0x28;

    // In-inode extended attributes (attributes.rst): the header magic and the entry layout; system.data holds the
    // part of inline data beyond i_block.
    static final int XATTR_MAGIC = 0xEA020000;
    static final int XATTR_ENTRY = 16;
    static final int E_NAME_LEN = 0;
    static final int E_NAME_INDEX = 1;
    static final int E_VALUE_OFFS = 2;
    static final int E_VALUE_INUM = 4;
    static final int E_VALUE_SIZE = 8;
    static final int XATTR_INDEX_SYSTEM = 7;

    // Directory entries (directory.rst, "struct ext4_dir_entry_2").
    static final int DE_INODE = 0;
    static final int DE_REC_LEN = 4;
    static final int DE_NAME_LEN = 6;
    static final int DE_FILE_TYPE = 7;
    static final int DE_HEADER = 8;
    /** struct ext4_dir_entry_tail: 12 bytes, the checksum last. */
    static final int DIR_TAIL = 12;
    static final int DET_CHECKSUM = 8;

    private final BlockDevice device;
    private final Superblock sb;
    private final ExtEntry root;
    private final List<String> warnings;
    private final ListingCache<List<Dirent>> cache = new ListingCache<>(MAX_CACHED_ENTRIES, List::size);

    /** One directory entry as stored: name bytes, inode number, file type (0 when the file system keeps none). */
    record Dirent(String name, byte[] nameBytes, long inode, int fileType) {
    }

    private ExtFileSystem(BlockDevice device, Superblock sb) throws IOException {
        this.device = device;
        this.sb = sb;
        Inode rootInode = inode(ROOT_INODE, "/");
        if (!rootInode.isDirectory()) {
            throw ExtFormatException.corrupt("ext inode 2 (/)", "i_mode", rootInode.mode(),
                    rootInode.imageOffset() + Inode.I_MODE, "the root is not a directory");
        }
        this.root = new ExtEntry("/", "", ROOT_INODE, rootInode.mode(), rootInode.size(), rootInode.modified());
        this.warnings = sb.has(Superblock.INCOMPAT_RECOVER)
                ? List.of("ext file system " + uuid() + ": needs journal recovery (needs_recovery set); the journal"
                        + " is not replayed, as GRUB does not, so the last changes may be missing")
                : List.of();
    }

    /** Opens the file system that starts at byte 0 of {@code device} (a partition or a bare image). */
    public static ExtFileSystem open(BlockDevice device) throws IOException {
        return new ExtFileSystem(device, Superblock.read(device));
    }

    /** Whether {@code device} carries the ext superblock magic 0xEF53 at byte 1080. */
    public static boolean hasSignature(BlockDevice device) throws IOException {
        return Superblock.hasMagic(device);
    }

    /** The magic with a plausible block size and revision: a disk without a partition table holding ext. */
    public static boolean looksLikeExt(BlockDevice device) throws IOException {
        return Superblock.plausible(device);
    }

    /** GRUB's name for every ext version: {@code ext2} ({@code probe --fs}, {@code insmod ext2}). */
    @Override
    public String typeName() {
        return "ext2";
    }

    /** The version as blkid names it: {@code ext4} with any ext4-only feature, else {@code ext3} with a journal. */
    public String version() {
        int ext3Incompat = Superblock.INCOMPAT_FILETYPE | Superblock.INCOMPAT_RECOVER | Superblock.INCOMPAT_META_BG;
        int ext3RoCompat = 0x1 | 0x2 | 0x4;
        if ((sb.incompat() & ~ext3Incompat) != 0 || (sb.roCompat() & ~ext3RoCompat) != 0) {
            return "ext4";
        }
        return (sb.compat() & Superblock.COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
    }

    /** s_uuid as blkid and GRUB print it: lower-case 8-4-4-4-12. */
    @Override
    public String uuid() {
        StringBuilder b = new StringBuilder(36);
        byte[] u = sb.uuid();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                b.append('-');
            }
            b.append(String.format(Locale.ROOT, "%02x", u[i]));
        }
        return b.toString();
    }

    /** s_volume_name up to its first NUL, if not empty. */
    @Override
    public Optional<String> label() {
        return sb.label().isEmpty() ? Optional.empty() : Optional.of(sb.label());
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public ExtEntry root() {
        return root;
    }

    @Override
    public ExtEntry entry(String path) throws IOException {
        return resolve(path);
    }

    /** Names are bytes to ext: both lookups match exactly. */
    @Override
    public ExtEntry entry(String path, Lookup lookup) throws IOException {
        return resolve(path);
    }

    @Override
    public Optional<ExtEntry> find(String path) throws IOException {
        try {
            return Optional.of(resolve(path));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ExtEntry> find(String path, Lookup lookup) throws IOException {
        return find(path);
    }

    @Override
    public List<ExtEntry> list(String path) throws IOException {
        return list(resolve(path));
    }

    /** The entries of {@code dir} in on-disk order, without {@code .} and {@code ..}; symlinks are not followed. */
    @Override
    public List<ExtEntry> list(FileEntry dir) throws IOException {
        ExtEntry d = own(dir);
        if (d.isSymlink()) {
            d = resolve(d.path());
        }
        if (!d.isDirectory()) {
            throw new NotDirectoryException(d.path());
        }
        String prefix = d.path().endsWith("/") ? d.path() : d.path() + "/";
        List<ExtEntry> entries = new ArrayList<>();
        for (Dirent e : dirents(d)) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                entries.add(entryOf(prefix, e));
            }
        }
        return entries;
    }

    @Override
    public ExtFile open(String path) throws IOException {
        return open(resolve(path));
    }

    @Override
    public ExtFile open(FileEntry file) throws IOException {
        ExtEntry e = own(file);
        if (e.isSymlink()) {
            e = resolve(e.path());
        }
        if (e.isDirectory()) {
            throw new FileSystemException(e.path(), null, "is a directory");
        }
        Inode inode = inode(e.inode(), e.path());
        if (inode.hasFlag(Inode.EXT4_INLINE_DATA_FL)) {
            return ExtFile.inline(this, e, inlineData(inode, e.path()));
        }
        return ExtFile.mapped(this, e, inode.size(), blockMap(inode, e.path()));
    }

    /** s_blocks_count blocks. */
    @Override
    public long totalBytes() {
        return sb.blocksCount() * sb.blockSize();
    }

    /** s_free_blocks_count blocks, as the superblock records them. */
    @Override
    public long freeBytes() {
        return sb.freeBlocks() * sb.blockSize();
    }

    @Override
    public int blockSize() {
        return sb.blockSize();
    }

    // ---- lookup -------------------------------------------------------------------------------------------------

    /**
     * The entry {@code path} leads to, every symlink followed (the entry is the final target's). {@code .} and
     * {@code ..} step within the directories actually walked, as GRUB's fshelp does.
     */
    private ExtEntry resolve(String path) throws IOException {
        Deque<String> pending = new ArrayDeque<>(Arrays.asList(path.split("/+")));
        List<ExtEntry> trail = new ArrayList<>();
        trail.add(root);
        int links = 0;
        while (!pending.isEmpty()) {
            String component = pending.removeFirst();
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (trail.size() > 1) {
                    trail.remove(trail.size() - 1);
                }
                continue;
            }
            ExtEntry dir = trail.get(trail.size() - 1);
            if (!dir.isDirectory()) {
                throw new NotDirectoryException(dir.path());
            }
            String prefix = dir.path().endsWith("/") ? dir.path() : dir.path() + "/";
            Dirent found = null;
            byte[] wanted = component.getBytes(StandardCharsets.UTF_8);
            for (Dirent e : dirents(dir)) {
                if (Arrays.equals(e.nameBytes(), wanted)) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                throw new NoSuchFileException(prefix + component);
            }
            ExtEntry entry = entryOf(prefix, found);
            if (entry.isSymlink()) {
                if (++links >= MAX_SYMLINKS) {
                    throw new FileSystemLoopException(path);
                }
                String target = readLink(entry);
                if (target.startsWith("/")) {
                    trail.subList(1, trail.size()).clear();
                }
                String[] parts = target.split("/+");
                for (int i = parts.length - 1; i >= 0; i--) {
                    pending.addFirst(parts[i]);
                }
                continue;
            }
            trail.add(entry);
        }
        return trail.get(trail.size() - 1);
    }

    private ExtEntry entryOf(String directory, Dirent dirent) throws IOException {
        Inode inode = inode(dirent.inode(), directory + dirent.name());
        return new ExtEntry(dirent.name(), directory, dirent.inode(), inode.mode(), inode.size(), inode.modified());
    }

    /** The target of a symlink: inline, in i_block (a fast symlink) or in its one data block. */
    String readLink(ExtEntry link) throws IOException {
        Inode inode = inode(link.inode(), link.path());
        String structure = "ext inode " + link.inode() + " (" + link.path() + ")";
        long size = inode.size();
        if (size == 0 || size >= MAX_SYMLINK_LENGTH) {
            throw ExtFormatException.corrupt(structure, "i_size", size, inode.imageOffset() + Inode.I_SIZE_LO,
                    "not a symlink target length 0x1..0x" + Superblock.hex(MAX_SYMLINK_LENGTH - 1));
        }
        byte[] target;
        if (inode.hasFlag(Inode.EXT4_INLINE_DATA_FL)) {
            target = inlineData(inode, link.path());
        } else if (isFastSymlink(inode)) {
            if (size > Inode.I_BLOCK_SIZE) {
                throw ExtFormatException.corrupt(structure, "i_size", size, inode.imageOffset() + Inode.I_SIZE_LO,
                        "a fast symlink holds at most 60 bytes");
            }
            target = new byte[(int) size];
            inode.raw().get(Inode.I_BLOCK, target);
        } else {
            ExtFile file = ExtFile.mapped(this, link, size, blockMap(inode, link.path()));
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            file.read(bytes, 0);
            target = bytes.array();
        }
        return new String(target, StandardCharsets.UTF_8);
    }

    /** Linux's test: no data blocks beyond an extended attribute block. */
    private boolean isFastSymlink(Inode inode) {
        long blocks = inode.blocks(sb.blockSize(), sb.hasRoCompat(Superblock.RO_COMPAT_HUGE_FILE));
        long attributeBlocks = inode.fileAcl() != 0 ? sb.blockSize() / 512 : 0;
        return blocks - attributeBlocks == 0;
    }

    // ---- directories --------------------------------------------------------------------------------------------

    private List<Dirent> dirents(ExtEntry dir) throws IOException {
        return cache.get(dir.inode(), () -> readDirectory(dir));
    }

    /**
     * Every entry of every block in order. An htree directory is read the same way: its index blocks look like one
     * empty entry spanning the block, and the root's index hides in the slack of {@code ..}.
     */
    private List<Dirent> readDirectory(ExtEntry dir) throws IOException {
        Inode inode = inode(dir.inode(), dir.path());
        String structure = "ext directory " + dir.path() + " (inode " + dir.inode() + ")";
        List<Dirent> out = new ArrayList<>();
        if (inode.hasFlag(Inode.EXT4_INLINE_DATA_FL)) {
            // i_block: the parent's inode number, then entries; more entries in system.data.
            parseEntries(inode.raw(), 4, Inode.I_BLOCK_SIZE, Inode.I_BLOCK, inode.imageOffset(), structure,
                    out);
            int[] value = inlineValue(inode, dir.path());
            if (value != null && value[1] > 0) {
                parseEntries(inode.raw(), 0, value[1], value[0], inode.imageOffset(), structure, out);
            }
            return out;
        }
        long size = inode.size();
        if (size > MAX_DIRECTORY_BYTES) {
            throw ExtFormatException.unsupported(structure, "i_size", size, inode.imageOffset() + Inode.I_SIZE_LO,
                    "directories over 0x" + Superblock.hex(MAX_DIRECTORY_BYTES) + " bytes");
        }
        BlockMap map = blockMap(inode, dir.path());
        int blockSize = sb.blockSize();
        long blocks = (size + blockSize - 1) / blockSize;
        ByteBuffer block = ByteBuffer.allocate(blockSize).order(ByteOrder.LITTLE_ENDIAN);
        for (long logical = 0; logical < blocks;) {
            BlockMap.Run run = map.run(logical, blocks - logical);
            if (run.physical() != BlockMap.HOLE) {
                for (long k = 0; k < run.count(); k++) {
                    long offset = (run.physical() + k) * blockSize;
                    device.read(offset, block.clear());
                    parseEntries(block, 0, blockSize, 0, device.imageOffset(offset), structure, out);
                    verifyLeafTail(block, inode, device.imageOffset(offset), structure);
                }
            }
            logical += run.count();
        }
        return out;
    }

    /**
     * metadata_csum: a leaf block ends in a 12-byte ext4_dir_entry_tail (inode 0, rec_len 12, name_len 0, file type
     * 0xDE) whose checksum covers the block before it. Blocks without one (htree index blocks, which carry a dx_tail
     * that this linear reader does not use) are not checked.
     */
    private void verifyLeafTail(ByteBuffer block, Inode dir, long imageOffset, String structure)
            throws ExtFormatException {
        int tail = block.capacity() - DIR_TAIL;
        if (!sb.metadataCsum() || block.getInt(tail + DE_INODE) != 0
                || Short.toUnsignedInt(block.getShort(tail + DE_REC_LEN)) != DIR_TAIL
                || block.get(tail + DE_NAME_LEN) != 0 || Byte.toUnsignedInt(block.get(tail + DE_FILE_TYPE)) != 0xDE) {
            return;
        }
        int stored = block.getInt(tail + DET_CHECKSUM);
        int computed = Crc32c.update(inodeSeed(dir), block, 0, tail);
        if (stored != computed) {
            throw ExtFormatException.corrupt(structure, "det_checksum", Integer.toUnsignedLong(stored),
                    imageOffset + tail + DET_CHECKSUM, "computed 0x" + Superblock.hex(Integer.toUnsignedLong(computed)));
        }
    }

    /**
     * Parses the entries in {@code buffer[base + from, base + to)}: offsets within the region count from
     * {@code base}, and {@code imageOffset} is where {@code buffer[0]} lies in the image.
     */
    private void parseEntries(ByteBuffer buffer, int from, int to, int base, long imageOffset, String structure,
            List<Dirent> out) throws ExtFormatException {
        boolean fileType = sb.has(Superblock.INCOMPAT_FILETYPE);
        int pos = from;
        while (pos < to) {
            int at = base + pos;
            if (to - pos < DE_HEADER) {
                throw ExtFormatException.corrupt(structure, "entry", to - pos, imageOffset + at,
                        "0x" + Superblock.hex(to - pos) + " bytes left, less than an entry header");
            }
            long inode = Integer.toUnsignedLong(buffer.getInt(at + DE_INODE));
            int recLen = Short.toUnsignedInt(buffer.getShort(at + DE_REC_LEN));
            if (to - from == 65536 && (recLen == 0 || recLen == 65535)) {
                // 64 KiB blocks store a whole-block rec_len as 65535 or 0 (ext4_rec_len_from_disk).
                recLen = 65536;
            }
            int nameLength = Byte.toUnsignedInt(buffer.get(at + DE_NAME_LEN));
            int type = 0;
            if (fileType) {
                type = Byte.toUnsignedInt(buffer.get(at + DE_FILE_TYPE));
            } else {
                nameLength |= Byte.toUnsignedInt(buffer.get(at + DE_FILE_TYPE)) << 8;
            }
            if (recLen < DE_HEADER || recLen % 4 != 0 || recLen > to - pos) {
                throw ExtFormatException.corrupt(structure, "rec_len", recLen, imageOffset + at + DE_REC_LEN,
                        "not a multiple of 4 from 0x8 to the 0x" + Superblock.hex(to - pos) + " bytes left");
            }
            if (DE_HEADER + nameLength > recLen) {
                throw ExtFormatException.corrupt(structure, "name_len", nameLength, imageOffset + at + DE_NAME_LEN,
                        "longer than rec_len 0x" + Superblock.hex(recLen) + " allows");
            }
            if (inode != 0) {
                if (inode > sb.inodesCount() || nameLength == 0) {
                    throw ExtFormatException.corrupt(structure, inode > sb.inodesCount() ? "inode" : "name_len",
                            inode > sb.inodesCount() ? inode : 0, imageOffset + at, inode > sb.inodesCount()
                                    ? "past s_inodes_count 0x" + Superblock.hex(sb.inodesCount()) : "an empty name");
                }
                byte[] name = new byte[nameLength];
                buffer.get(at + DE_HEADER, name);
                out.add(new Dirent(new String(name, StandardCharsets.UTF_8), name, inode, type));
            }
            pos += recLen;
        }
    }

    // ---- inodes -------------------------------------------------------------------------------------------------

    /** Reads inode {@code number} (for the file at {@code path}, named in messages) and checks it. */
    Inode inode(long number, String path) throws IOException {
        String structure = "ext inode " + number + " (" + path + ")";
        if (number < 1 || number > sb.inodesCount()) {
            throw ExtFormatException.corrupt(structure, "number", number, device.imageOffset(Superblock.OFFSET),
                    "not 1..s_inodes_count 0x" + Superblock.hex(sb.inodesCount()));
        }
        long group = (number - 1) / sb.inodesPerGroup();
        long index = (number - 1) % sb.inodesPerGroup();
        long offset = inodeTable(group) * sb.blockSize() + index * sb.inodeSize();
        ByteBuffer raw = read(offset, sb.inodeSize());
        Inode inode = new Inode(number, raw, device.imageOffset(offset));
        int extra = inode.extraSize();
        if (extra > sb.inodeSize() - Inode.GOOD_OLD_SIZE || extra % 4 != 0) {
            throw ExtFormatException.corrupt(structure, "i_extra_isize", extra,
                    inode.imageOffset() + Inode.I_EXTRA_ISIZE, "not a multiple of 4 up to 0x"
                            + Superblock.hex(sb.inodeSize() - Inode.GOOD_OLD_SIZE));
        }
        if (sb.metadataCsum()) {
            verifyInode(inode, structure);
        }
        return inode;
    }

    /** ext4_inode_csum: crc32c over the inode with its checksum fields as zeros, from the inode's own seed. */
    private void verifyInode(Inode inode, String structure) throws ExtFormatException {
        ByteBuffer raw = inode.raw();
        int size = raw.capacity();
        int crc = inodeSeed(inode);
        crc = Crc32c.update(crc, raw, 0, Inode.L_I_CHECKSUM_LO);
        crc = Crc32c.updateZeros(crc, 2);
        crc = Crc32c.update(crc, raw, Inode.L_I_CHECKSUM_LO + 2, Inode.GOOD_OLD_SIZE);
        long stored = Short.toUnsignedInt(raw.getShort(Inode.L_I_CHECKSUM_LO));
        long mask = 0xFFFF;
        if (size > Inode.GOOD_OLD_SIZE) {
            crc = Crc32c.update(crc, raw, Inode.GOOD_OLD_SIZE, Inode.I_CHECKSUM_HI);
            int next = Inode.I_CHECKSUM_HI;
            if (inode.extraSize() >= Inode.I_CHECKSUM_HI + 2 - Inode.GOOD_OLD_SIZE) {
                crc = Crc32c.updateZeros(crc, 2);
                next += 2;
                stored |= (long) Short.toUnsignedInt(raw.getShort(Inode.I_CHECKSUM_HI)) << 16;
                mask = 0xFFFFFFFFL;
            }
            crc = Crc32c.update(crc, raw, next, size);
        }
        long computed = Integer.toUnsignedLong(crc) & mask;
        if (stored != computed) {
            throw ExtFormatException.corrupt(structure, "checksum", stored, inode.imageOffset() + Inode.L_I_CHECKSUM_LO,
                    "computed 0x" + Superblock.hex(computed));
        }
    }

    /** The crc32c seed of one inode's metadata: the file system's seed, then the inode number and generation. */
    int inodeSeed(Inode inode) {
        return Crc32c.updateInt(Crc32c.updateInt(sb.checksumSeed(), (int) inode.number()), inode.generation());
    }

    /** The first block of group {@code group}'s inode table, from its group descriptor. */
    private long inodeTable(long group) throws IOException {
        String structure = "ext group descriptor " + group;
        int descSize = sb.descSize();
        long perBlock = sb.blockSize() / descSize;
        long metaGroup = group / perBlock;
        long tableBlock;
        if (sb.has(Superblock.INCOMPAT_META_BG) && metaGroup >= sb.firstMetaBg()) {
            // meta_bg: each run of perBlock groups keeps its descriptors in the first group of the run.
            long first = metaGroup * perBlock;
            tableBlock = sb.firstDataBlock() + first * sb.blocksPerGroup() + (sb.hasSuperblock(first) ? 1 : 0);
        } else {
            tableBlock = sb.firstDataBlock() + 1 + metaGroup;
        }
        long offset = tableBlock * sb.blockSize() + (group % perBlock) * descSize;
        ByteBuffer d = read(offset, descSize);
        long imageOffset = device.imageOffset(offset);
        if (sb.metadataCsum()) {
            int crc = Crc32c.updateInt(sb.checksumSeed(), (int) group);
            crc = Crc32c.update(crc, d, 0, BG_CHECKSUM);
            crc = Crc32c.updateZeros(crc, 2);
            crc = Crc32c.update(crc, d, BG_CHECKSUM + 2, descSize);
            int stored = Short.toUnsignedInt(d.getShort(BG_CHECKSUM));
            if (stored != (crc & 0xFFFF)) {
                throw ExtFormatException.corrupt(structure, "bg_checksum", stored, imageOffset + BG_CHECKSUM,
                        "computed 0x" + Superblock.hex(crc & 0xFFFF));
            }
        }
        long table = Integer.toUnsignedLong(d.getInt(BG_INODE_TABLE_LO))
                | (descSize >= 64 ? Integer.toUnsignedLong(d.getInt(BG_INODE_TABLE_HI)) << 32 : 0);
        long tableBlocks = (sb.inodesPerGroup() * sb.inodeSize() + sb.blockSize() - 1) / sb.blockSize();
        if (table <= sb.firstDataBlock() || table >= sb.blocksCount() || tableBlocks > sb.blocksCount() - table) {
            throw ExtFormatException.corrupt(structure, "bg_inode_table", table, imageOffset + BG_INODE_TABLE_LO,
                    "0x" + Superblock.hex(tableBlocks) + " blocks from there leave the blocks 0x"
                            + Superblock.hex(sb.firstDataBlock() + 1) + "..0x" + Superblock.hex(sb.blocksCount() - 1));
        }
        return table;
    }

    /** The inode's block map: an extent tree when EXT4_EXTENTS_FL is set, else direct and indirect pointers. */
    BlockMap blockMap(Inode inode, String path) throws ExtFormatException {
        BlockMap map = inode.hasFlag(Inode.EXT4_EXTENTS_FL) ? new ExtentTree(this, inode, path)
                : new IndirectBlocks(this, inode, path);
        long limit = map.addressableBlocks() * sb.blockSize();
        if (inode.size() > limit) {
            throw ExtFormatException.corrupt("ext inode " + inode.number() + " (" + path + ")", "i_size",
                    inode.size(), inode.imageOffset() + Inode.I_SIZE_LO, "its block map addresses 0x"
                            + Superblock.hex(limit) + " bytes");
        }
        return map;
    }

    // ---- inline data --------------------------------------------------------------------------------------------

    /** An inline file's bytes: i_block, then the system.data attribute. */
    private byte[] inlineData(Inode inode, String path) throws IOException {
        int[] value = inlineValue(inode, path);
        int extra = value == null ? 0 : value[1];
        long size = inode.size();
        if (size > Inode.I_BLOCK_SIZE + extra) {
            throw ExtFormatException.corrupt("ext inode " + inode.number() + " (" + path + ")", "i_size", size,
                    inode.imageOffset() + Inode.I_SIZE_LO, "inline data holds 0x"
                            + Superblock.hex(Inode.I_BLOCK_SIZE + extra) + " bytes");
        }
        byte[] data = new byte[(int) size];
        int first = (int) Math.min(size, Inode.I_BLOCK_SIZE);
        inode.raw().get(Inode.I_BLOCK, data, 0, first);
        if (size > first) {
            inode.raw().get(value[0], data, first, (int) size - first);
        }
        return data;
    }

    /**
     * Where the value of the in-inode attribute system.data lies within the inode: {offset, length}, or null when
     * there is none.
     */
    private int[] inlineValue(Inode inode, String path) throws ExtFormatException {
        ByteBuffer raw = inode.raw();
        int size = raw.capacity();
        int header = Inode.GOOD_OLD_SIZE + inode.extraSize();
        if (size <= Inode.GOOD_OLD_SIZE || header + 4 > size || raw.getInt(header) != XATTR_MAGIC) {
            return null;
        }
        String structure = "ext inode " + inode.number() + " (" + path + ") attributes";
        int first = header + 4;
        int at = first;
        while (at + 4 <= size && raw.getInt(at) != 0) {
            if (at + XATTR_ENTRY > size) {
                throw ExtFormatException.corrupt(structure, "entry", at, inode.imageOffset() + at,
                        "runs past the inode");
            }
            int nameLength = Byte.toUnsignedInt(raw.get(at + E_NAME_LEN));
            if (at + XATTR_ENTRY + nameLength > size) {
                throw ExtFormatException.corrupt(structure, "e_name_len", nameLength,
                        inode.imageOffset() + at + E_NAME_LEN, "runs past the inode");
            }
            if (Byte.toUnsignedInt(raw.get(at + E_NAME_INDEX)) == XATTR_INDEX_SYSTEM && nameLength == 4
                    && raw.get(at + XATTR_ENTRY) == 'd' && raw.get(at + XATTR_ENTRY + 1) == 'a'
                    && raw.get(at + XATTR_ENTRY + 2) == 't' && raw.get(at + XATTR_ENTRY + 3) == 'a') {
                int offset = Short.toUnsignedInt(raw.getShort(at + E_VALUE_OFFS));
                long length = Integer.toUnsignedLong(raw.getInt(at + E_VALUE_SIZE));
                if (raw.getInt(at + E_VALUE_INUM) != 0 || first + offset + length > size) {
                    throw ExtFormatException.corrupt(structure, "system.data e_value_size", length,
                            inode.imageOffset() + at + E_VALUE_SIZE, "the value at 0x" + Superblock.hex(offset)
                                    + " runs past the inode");
                }
                return new int[] {first + offset, (int) length};
            }
            at += (XATTR_ENTRY + nameLength + 3) & ~3;
        }
        return null;
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    /** {@code length} bytes (at most a block) at {@code offset} of the device, little-endian. */
    ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        device.read(offset, b);
        return b.flip();
    }

    BlockDevice device() {
        return device;
    }

    Superblock superblock() {
        return sb;
    }

    private static ExtEntry own(FileEntry entry) {
        if (entry instanceof ExtEntry ext) {
            return ext;
        }
        throw new IllegalArgumentException(entry.path() + ": not an entry of an ext file system");
    }
}
