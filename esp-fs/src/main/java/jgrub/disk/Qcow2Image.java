package jgrub.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A qcow2 image (QEMU's {@code docs/interop/qcow2.txt}, versions 2 and 3) read as the disk it holds: the L1 table
 * points at L2 tables whose entries give each cluster's place in the file, a zlib (raw deflate) compressed cluster, a
 * cluster of zeros, or none, which reads from the backing file (raw or qcow2, relative to the image) or as zeros.
 * Encryption, an external data file, zstd compression, extended L2 entries and unknown incompatible features are
 * refused. Every size and offset of the header and tables is checked against the file before it is used, so a hostile
 * image gives one line and no large allocation.
 */
public final class Qcow2Image implements BlockDevice, Closeable {

    /** "QFI\xfb". */
    static final int MAGIC = 0x514649FB;
    // Header fields (qcow2.txt "Header").
    static final int VERSION = 4;
    static final int BACKING_FILE_OFFSET = 8;
    static final int BACKING_FILE_SIZE = 16;
    static final int CLUSTER_BITS = 20;
    static final int SIZE = 24;
    static final int CRYPT_METHOD = 32;
    static final int L1_SIZE = 36;
    static final int L1_TABLE_OFFSET = 40;
    static final int INCOMPATIBLE_FEATURES = 72;
    static final int HEADER_LENGTH = 100;
    static final int COMPRESSION_TYPE = 104;
    static final int V2_HEADER_LENGTH = 72;
    /** Incompatible feature bits: dirty and corrupt only matter to writers; the rest change how data is found. */
    static final long DIRTY = 1;
    static final long CORRUPT = 1 << 1;
    static final long EXTERNAL_DATA_FILE = 1 << 2;
    static final long COMPRESSION_TYPE_BIT = 1 << 3;
    static final long EXTENDED_L2 = 1 << 4;
    static final int EXTENSION_BACKING_FORMAT = 0xE2792ACA;
    static final long OFFSET_MASK = 0x00FF_FFFF_FFFF_FE00L;
    static final long COMPRESSED = 1L << 62;
    static final long ZERO = 1;
    /** L1 tables above this are refused: 32 MiB of L1 maps 2 PiB with 64 KiB clusters. */
    static final long MAX_L1_BYTES = 32L << 20;
    static final int MAX_BACKING_DEPTH = 16;
    static final int L2_CACHE = 64;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final long size;
    private final int clusterBits;
    private final long[] l1;
    private final BlockDevice backing;
    private final Map<Long, long[]> l2Cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > L2_CACHE;
        }
    };

    private Qcow2Image(Path path, FileChannel channel, long size, int clusterBits, long[] l1, BlockDevice backing)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileSize = channel.size();
        this.size = size;
        this.clusterBits = clusterBits;
        this.l1 = l1;
        this.backing = backing;
    }

    /** Whether {@code image} starts with qcow's magic. */
    static boolean isQcow2(BlockDevice image) throws IOException {
        if (image.size() < 4) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(4);
        image.read(0, b);
        return b.flip().getInt() == MAGIC;
    }

    /** Opens the qcow2 image at {@code path} read-only, with its backing files ({@code depth} of them above it). */
    static Qcow2Image open(Path path, int depth) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return read(path, channel, depth);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Qcow2Image read(Path path, FileChannel channel, int depth) throws IOException {
        String structure = "qcow2 header of " + path;
        long fileSize = channel.size();
        if (fileSize < V2_HEADER_LENGTH) {
            throw corrupt(structure, "file size", fileSize, 0, "shorter than the 72-byte header");
        }
        ByteBuffer h = ByteBuffer.allocate((int) Math.min(fileSize, 4096)).order(ByteOrder.BIG_ENDIAN);
        readFully(channel, h, 0);
        h.flip();
        int version = h.getInt(VERSION);
        if (version != 2 && version != 3) {
            throw unsupported(structure, "version", version, VERSION, "jgrub reads versions 2 and 3");
        }
        int clusterBits = h.getInt(CLUSTER_BITS);
        if (clusterBits < 9 || clusterBits > 21) {
            throw corrupt(structure, "cluster_bits", clusterBits, CLUSTER_BITS, "not between 9 and 21");
        }
        long size = h.getLong(SIZE);
        if (size < 0 || size > (1L << 56)) {
            throw corrupt(structure, "size", size, SIZE, "more than 64 PiB");
        }
        int crypt = h.getInt(CRYPT_METHOD);
        if (crypt != 0) {
            throw unsupported(structure, "crypt_method", crypt, CRYPT_METHOD, "encrypted images are not read");
        }
        int headerLength = V2_HEADER_LENGTH;
        if (version == 3) {
            headerLength = h.getInt(HEADER_LENGTH);
            if (headerLength < 104 || headerLength > h.limit()) {
                throw corrupt(structure, "header_length", headerLength, HEADER_LENGTH,
                        "not between 104 and the 0x" + Integer.toHexString(h.limit()) + " bytes read");
            }
            long incompatible = h.getLong(INCOMPATIBLE_FEATURES);
            if ((incompatible & EXTERNAL_DATA_FILE) != 0) {
                throw unsupported(structure, "incompatible_features", incompatible, INCOMPATIBLE_FEATURES,
                        "an external data file");
            }
            if ((incompatible & EXTENDED_L2) != 0) {
                throw unsupported(structure, "incompatible_features", incompatible, INCOMPATIBLE_FEATURES,
                        "extended L2 entries (subclusters)");
            }
            if ((incompatible & COMPRESSION_TYPE_BIT) != 0 && headerLength > COMPRESSION_TYPE
                    && h.get(COMPRESSION_TYPE) != 0) {
                throw unsupported(structure, "compression_type", h.get(COMPRESSION_TYPE), COMPRESSION_TYPE,
                        "zstd; jgrub reads zlib");
            }
            long unknown = incompatible & ~(DIRTY | CORRUPT | COMPRESSION_TYPE_BIT);
            if (unknown != 0) {
                throw unsupported(structure, "incompatible_features", incompatible, INCOMPATIBLE_FEATURES,
                        "unknown feature bits 0x" + Long.toHexString(unknown));
            }
        }
        long clusterSize = 1L << clusterBits;
        long l1Size = Integer.toUnsignedLong(h.getInt(L1_SIZE));
        long l1Offset = h.getLong(L1_TABLE_OFFSET);
        long perL2 = clusterSize / 8;
        long needed = (size + clusterSize * perL2 - 1) / (clusterSize * perL2);
        if (l1Size < needed || l1Size * 8 > MAX_L1_BYTES) {
            throw corrupt(structure, "l1_size", l1Size, L1_SIZE, "the image needs " + needed
                    + " entries; at most " + MAX_L1_BYTES / 8 + " are read");
        }
        if (l1Offset < 0 || (l1Offset & (clusterSize - 1)) != 0 || l1Offset > fileSize || l1Size * 8 > fileSize
                - l1Offset) {
            throw corrupt(structure, "l1_table_offset", l1Offset, L1_TABLE_OFFSET,
                    "not a cluster of the file holding 0x" + Long.toHexString(l1Size * 8) + " bytes");
        }
        long[] l1 = new long[(int) l1Size];
        ByteBuffer table = ByteBuffer.allocate((int) (l1Size * 8)).order(ByteOrder.BIG_ENDIAN);
        readFully(channel, table, l1Offset);
        table.flip().asLongBuffer().get(l1);
        BlockDevice backing = backing(path, channel, h, headerLength, version, depth, structure);
        return new Qcow2Image(path, channel, size, clusterBits, l1, backing);
    }

    /** The backing file the header names, or null; a qcow2 one when its extension or its magic says so. */
    private static BlockDevice backing(Path path, FileChannel channel, ByteBuffer h, int headerLength, int version,
            int depth, String structure) throws IOException {
        long offset = h.getLong(BACKING_FILE_OFFSET);
        long length = Integer.toUnsignedLong(h.getInt(BACKING_FILE_SIZE));
        if (offset == 0) {
            return null;
        }
        if (length == 0 || length > 1023 || offset < headerLength || offset > channel.size() - length) {
            throw corrupt(structure, "backing_file_size", length, BACKING_FILE_SIZE,
                    "not 1 to 1023 bytes of the file after the header at 0x" + Long.toHexString(offset));
        }
        if (depth >= MAX_BACKING_DEPTH) {
            throw unsupported(structure, "backing file depth", depth, BACKING_FILE_OFFSET,
                    "more than " + MAX_BACKING_DEPTH + " backing files (a loop?)");
        }
        ByteBuffer name = ByteBuffer.allocate((int) length);
        readFully(channel, name, offset);
        String file = new String(name.array(), StandardCharsets.UTF_8);
        Path resolved;
        try {
            resolved = path.toAbsolutePath().getParent().resolve(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw corrupt(structure, "backing file name", length, offset, "not a file name: " + e.getReason());
        }
        String format = backingFormat(h, headerLength, version);
        if (format != null && !format.equals("raw") && !format.equals("qcow2")) {
            throw new DiskFormatException(DiskFormatException.Kind.UNSUPPORTED, structure,
                    "backing file format '" + format + "' (jgrub reads raw and qcow2)");
        }
        if (!java.nio.file.Files.exists(resolved)) {
            throw new DiskFormatException(DiskFormatException.Kind.CORRUPT, structure,
                    "backing file " + resolved + " not found");
        }
        return DiskImage.openImage(resolved, depth + 1);
    }

    /** The backing file format header extension, when the image has one (qcow2.txt "Header extensions"). */
    private static String backingFormat(ByteBuffer h, int headerLength, int version) {
        int at = version == 2 ? V2_HEADER_LENGTH : (headerLength + 7) & ~7;
        while (at + 8 <= h.limit()) {
            int type = h.getInt(at);
            int length = h.getInt(at + 4);
            if (type == 0 || length < 0 || length > h.limit() - at - 8) {
                return null;
            }
            if (type == EXTENSION_BACKING_FORMAT) {
                byte[] format = new byte[length];
                h.get(at + 8, format);
                return new String(format, StandardCharsets.US_ASCII);
            }
            at += 8 + ((length + 7) & ~7);
        }
        return null;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long imageOffset(long offset) {
        return offset;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int count = dst.remaining();
        if (offset < 0 || offset > size || count > size - offset) {
            throw DiskImage.truncated(offset, count, size);
        }
        long clusterSize = 1L << clusterBits;
        while (dst.hasRemaining()) {
            long inCluster = offset & (clusterSize - 1);
            int n = (int) Math.min(dst.remaining(), clusterSize - inCluster);
            ByteBuffer part = dst.slice().limit(n);
            readCluster(offset, inCluster, part);
            dst.position(dst.position() + n);
            offset += n;
        }
    }

    /** Fills {@code part} from the cluster holding {@code offset}, starting {@code inCluster} bytes into it. */
    private void readCluster(long offset, long inCluster, ByteBuffer part) throws IOException {
        long entry = l2Entry(offset);
        if ((entry & COMPRESSED) != 0) {
            byte[] cluster = decompress(entry, offset);
            part.put(cluster, (int) inCluster, part.remaining());
            return;
        }
        long host = entry & OFFSET_MASK;
        if ((entry & ZERO) != 0 || host == 0 && backing == null) {
            while (part.hasRemaining()) {
                part.put((byte) 0);
            }
            return;
        }
        if (host == 0) {
            long available = Math.max(0, Math.min(part.remaining(), backing.size() - offset));
            if (available > 0) {
                backing.read(offset, part.slice().limit((int) available));
                part.position(part.position() + (int) available);
            }
            while (part.hasRemaining()) {
                part.put((byte) 0);
            }
            return;
        }
        long at = host + inCluster;
        if (at > fileSize || part.remaining() > fileSize - at) {
            throw corrupt("qcow2 L2 entry of " + path, "cluster offset", host, offset,
                    "past the end of the file at 0x" + Long.toHexString(fileSize));
        }
        readFully(channel, part, at);
    }

    /** The L2 entry of the guest cluster holding {@code offset}: 0 when its L2 table is not allocated. */
    private long l2Entry(long offset) throws IOException {
        int l2Bits = clusterBits - 3;
        long l1Index = offset >>> (clusterBits + l2Bits);
        long l2Offset = l1[(int) l1Index] & OFFSET_MASK;
        if (l2Offset == 0) {
            return 0;
        }
        long[] l2;
        synchronized (l2Cache) {
            l2 = l2Cache.get(l2Offset);
        }
        if (l2 == null) {
            long clusterSize = 1L << clusterBits;
            if ((l2Offset & (clusterSize - 1)) != 0 || l2Offset > fileSize - clusterSize) {
                throw corrupt("qcow2 L1 table of " + path, "L2 table offset", l2Offset, l1Index * 8,
                        "not a cluster of the file");
            }
            ByteBuffer table = ByteBuffer.allocate((int) clusterSize).order(ByteOrder.BIG_ENDIAN);
            readFully(channel, table, l2Offset);
            l2 = new long[(int) (clusterSize / 8)];
            table.flip().asLongBuffer().get(l2);
            synchronized (l2Cache) {
                l2Cache.put(l2Offset, l2);
            }
        }
        return l2[(int) ((offset >>> clusterBits) & ((1L << l2Bits) - 1))];
    }

    /** A compressed cluster (qcow2.txt "Compressed Clusters Descriptor"): raw deflate of one whole cluster. */
    private byte[] decompress(long entry, long offset) throws IOException {
        int x = 62 - (clusterBits - 8);
        long host = entry & ((1L << x) - 1);
        long sectors = (entry >>> x) & ((1L << (62 - x)) - 1);
        long length = (sectors + 1) * 512 - (host & 511);
        String structure = "qcow2 compressed cluster of " + path;
        if (host > fileSize) {
            throw corrupt(structure, "host offset", host, offset, "past the end of the file at 0x"
                    + Long.toHexString(fileSize));
        }
        length = Math.min(length, fileSize - host);
        ByteBuffer compressed = ByteBuffer.allocate((int) Math.min(length, 2L << clusterBits));
        readFully(channel, compressed, host);
        byte[] cluster = new byte[1 << clusterBits];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed.array(), 0, compressed.position());
            int n = inflater.inflate(cluster);
            if (n != cluster.length) {
                throw corrupt(structure, "inflated length", n, offset, "not the cluster size 0x"
                        + Integer.toHexString(cluster.length));
            }
        } catch (DataFormatException e) {
            throw corrupt(structure, "deflate data", host, offset, e.getMessage());
        } finally {
            inflater.end();
        }
        return cluster;
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long at) throws IOException {
        long position = at;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, position);
            if (n < 0) {
                throw DiskImage.truncated(at, dst.capacity(), position);
            }
            position += n;
        }
    }

    private static DiskFormatException corrupt(String structure, String field, long value, long offset,
            String why) {
        return new DiskFormatException(DiskFormatException.Kind.CORRUPT, structure, field, value, offset, why);
    }

    private static DiskFormatException unsupported(String structure, String field, long value, long offset,
            String why) {
        return new DiskFormatException(DiskFormatException.Kind.UNSUPPORTED, structure, field, value, offset, why);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (backing instanceof Closeable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
