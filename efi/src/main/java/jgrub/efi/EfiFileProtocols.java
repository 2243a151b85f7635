package jgrub.efi;

import static jgrub.efi.EfiBootServices.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * EFI_SIMPLE_FILE_SYSTEM_PROTOCOL and EFI_FILE_PROTOCOL (UEFI 2.10 sections 13.4, 13.5) over a read-only
 * {@link EfiVolume}. Each open file is its own protocol instance in guest memory; the instance address a guest passes
 * as "This" must be one jgrub handed out and has not been closed.
 */
final class EfiFileProtocols {

    static final long FILE_REVISION = 0x00010000;
    static final long MODE_READ = 0x1;
    static final long MODE_WRITE = 0x2;
    static final long MODE_CREATE = 0x8000000000000000L;
    static final long ATTRIBUTE_DIRECTORY = 0x10;
    static final int FILE_INFO_HEADER = 80;
    static final int SYSTEM_INFO_HEADER = 36;
    static final int MAX_PATH = 4096;
    static final long END_OF_FILE_POSITION = -1;
    /** EFI_WARN_DELETE_FAILURE */
    static final long WARN_DELETE_FAILURE = 2;
    static final int MAX_OPEN_FILES = 4096;

    private final EfiSystem efi;
    private EfiVolume volume;
    private long fileSystem;
    private final Map<Long, OpenFile> open = new HashMap<>();
    private final Deque<Long> freeInstances = new ArrayDeque<>();

    /** An open file or directory: where it is and where the next Read starts. */
    private static final class OpenFile {
        final String path;
        final EfiVolume.Entry entry;
        long position;
        List<EfiVolume.Entry> listing;

        OpenFile(String path, EfiVolume.Entry entry) {
            this.path = path;
            this.entry = entry;
        }
    }

    EfiFileProtocols(EfiSystem efi) {
        this.efi = efi;
    }

    void install(EfiHandles.Handle handle, EfiVolume volume) throws EfiException {
        this.volume = volume;
        fileSystem = efi.bootArena.allocate(16);
        ByteBuffer fs = efi.memory.slice(fileSystem, 16);
        fs.putLong(0, FILE_REVISION);
        fs.putLong(8, efi.entry(EfiService.FS_OPEN_VOLUME));
        efi.handles.install(handle, EfiGuid.SIMPLE_FILE_SYSTEM, fileSystem);
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        if (c.service() == EfiService.FS_OPEN_VOLUME) {
            if (c.arg(0) != fileSystem) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's file system");
            }
            requireNonNull(c.arg(1), "Root");
            m.writeU64(c.arg(1), openInstance("/", entry("/")));
            return EfiStatus.SUCCESS;
        }
        OpenFile file = open.get(c.arg(0));
        if (file == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(c.arg(0))
                    + " is not an open file");
        }
        return switch (c.service()) {
            case FILE_OPEN -> openFile(c, m, file);
            case FILE_CLOSE -> {
                close(c.arg(0));
                yield EfiStatus.SUCCESS;
            }
            case FILE_DELETE -> {
                close(c.arg(0));
                yield WARN_DELETE_FAILURE;
            }
            case FILE_READ -> read(m, file, c.arg(1), c.arg(2));
            // Section 13.5, Write: EFI_UNSUPPORTED "Writes to open directory files are not supported";
            // EFI_ACCESS_DENIED "The file was opened read only", as every file is here (Open refuses write modes).
            case FILE_WRITE -> throw file.entry.isDirectory()
                    ? new EfiException(EfiStatus.UNSUPPORTED, "Write to a directory")
                    : new EfiException(EfiStatus.ACCESS_DENIED, "the file was opened read-only");
            case FILE_SET_INFO -> throw new EfiException(EfiStatus.WRITE_PROTECTED, "the disk is read-only");
            case FILE_FLUSH -> EfiStatus.SUCCESS;
            case FILE_GET_POSITION -> {
                if (file.entry.isDirectory()) {
                    throw new EfiException(EfiStatus.UNSUPPORTED, "GetPosition on a directory");
                }
                requireNonNull(c.arg(1), "Position");
                m.writeU64(c.arg(1), file.position);
                yield EfiStatus.SUCCESS;
            }
            case FILE_SET_POSITION -> {
                long position = c.arg(1);
                if (file.entry.isDirectory()) {
                    if (position != 0) {
                        throw new EfiException(EfiStatus.UNSUPPORTED, "directories can only be rewound");
                    }
                    file.listing = null;
                }
                file.position = position == END_OF_FILE_POSITION ? file.entry.size() : position;
                yield EfiStatus.SUCCESS;
            }
            case FILE_GET_INFO -> getInfo(m, file, c.arg(1), c.arg(2), c.arg(3));
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    /**
     * A whole file of the volume, as LoadImage reads an image through the Simple File System on its device (UEFI 2.10
     * section 7.4). {@code efiPath} is the file-path nodes' text, with backslashes.
     */
    byte[] readWholeFile(String efiPath, long maxBytes) throws EfiException {
        String path = resolve("/", efiPath);
        EfiVolume.Entry entry = entry(path);
        if (entry.isDirectory()) {
            throw new EfiException(EfiStatus.NOT_FOUND, path + " is a directory");
        }
        if (entry.size() > maxBytes) {
            throw new EfiException(EfiStatus.LOAD_ERROR, path + " is 0x" + Long.toHexString(entry.size())
                    + " bytes, more than any image jgrub loads (0x" + Long.toHexString(maxBytes) + ")");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) entry.size());
        try {
            while (bytes.hasRemaining()) {
                if (entry.read(bytes.position(), bytes) <= 0) {
                    throw new EfiException(EfiStatus.DEVICE_ERROR, path + " ended at byte " + bytes.position()
                            + " of " + entry.size());
                }
            }
        } catch (IOException e) {
            throw new EfiException(EfiStatus.DEVICE_ERROR, path + ": " + e.getMessage());
        }
        return bytes.array();
    }

    private EfiVolume.Entry entry(String path) throws EfiException {
        try {
            EfiVolume.Entry entry = volume.lookup(path);
            if (entry == null) {
                throw new EfiException(EfiStatus.NOT_FOUND, path);
            }
            return entry;
        } catch (IOException e) {
            throw new EfiException(EfiStatus.VOLUME_CORRUPTED, path + ": " + e.getMessage());
        }
    }

    private long openInstance(String path, EfiVolume.Entry entry) throws EfiException {
        if (open.size() >= MAX_OPEN_FILES) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, "too many open files");
        }
        Long instance = freeInstances.poll();
        if (instance == null) {
            instance = efi.bootArena.allocate(8 + 8 * 10);
            ByteBuffer f = efi.memory.slice(instance, 88);
            f.putLong(0, FILE_REVISION);
            int at = 8;
            for (EfiService s : EfiService.of(EfiService.Table.FILE)) {
                f.putLong(at, efi.entry(s));
                at += 8;
            }
        }
        open.put(instance, new OpenFile(path, entry));
        return instance;
    }

    private void close(long instance) {
        open.remove(instance);
        freeInstances.push(instance);
    }

    /** Open (section 13.5.2): a path relative to This, or absolute; "\" or "/" separate, "." and ".." resolve. */
    private long openFile(EfiCall c, GuestPointers m, OpenFile from) throws EfiException {
        requireNonNull(c.arg(1), "NewHandle");
        String name = m.readUcs2(c.arg(2), MAX_PATH);
        long mode = c.arg(3);
        if (mode != MODE_READ && mode != (MODE_READ | MODE_WRITE) && mode != (MODE_READ | MODE_WRITE | MODE_CREATE)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "open mode 0x" + Long.toHexString(mode));
        }
        if ((mode & MODE_WRITE) != 0) {
            throw new EfiException(EfiStatus.WRITE_PROTECTED, "the disk is read-only");
        }
        String path = resolve(from.entry.isDirectory() ? from.path : parent(from.path), name);
        m.writeU64(c.arg(1), openInstance(path, entry(path)));
        return EfiStatus.SUCCESS;
    }

    static String resolve(String base, String name) {
        String joined = name.replace('\\', '/');
        Deque<String> parts = new ArrayDeque<>();
        if (!joined.startsWith("/")) {
            for (String p : base.split("/")) {
                if (!p.isEmpty()) {
                    parts.addLast(p);
                }
            }
        }
        for (String p : joined.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Read (section 13.5.6): file bytes from the position; for a directory, one EFI_FILE_INFO per call. */
    private long read(GuestPointers m, OpenFile file, long sizePointer, long buffer) throws EfiException {
        requireNonNull(sizePointer, "BufferSize");
        long size = m.readU64(sizePointer);
        if (file.entry.isDirectory()) {
            try {
                if (file.listing == null) {
                    file.listing = file.entry.list();
                    file.position = 0;
                }
            } catch (IOException e) {
                throw new EfiException(EfiStatus.VOLUME_CORRUPTED, file.path + ": " + e.getMessage());
            }
            if (file.position >= file.listing.size()) {
                m.writeU64(sizePointer, 0);
                return EfiStatus.SUCCESS;
            }
            byte[] info = fileInfo(file.listing.get((int) file.position));
            m.writeU64(sizePointer, info.length);
            if (Long.compareUnsigned(size, info.length) < 0) {
                return EfiStatus.BUFFER_TOO_SMALL;
            }
            requireNonNull(buffer, "Buffer");
            m.write(buffer, info);
            file.position++;
            return EfiStatus.SUCCESS;
        }
        if (Long.compareUnsigned(file.position, file.entry.size()) > 0) {
            throw new EfiException(EfiStatus.DEVICE_ERROR, "position past the end of " + file.path);
        }
        long count = Math.min(Long.compareUnsigned(size, Long.MAX_VALUE) > 0 ? Long.MAX_VALUE : size,
                file.entry.size() - file.position);
        if (count > 0) {
            requireNonNull(buffer, "Buffer");
        }
        long done = 0;
        try {
            while (done < count) {
                int chunk = (int) Math.min(count - done, 1 << 20);
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                int got = file.entry.read(file.position + done, bytes);
                if (got <= 0) {
                    break;
                }
                m.write(buffer + done, java.util.Arrays.copyOf(bytes.array(), got));
                done += got;
            }
        } catch (IOException e) {
            throw new EfiException(EfiStatus.VOLUME_CORRUPTED, file.path + ": " + e.getMessage());
        }
        file.position += done;
        m.writeU64(sizePointer, done);
        return EfiStatus.SUCCESS;
    }

    private long getInfo(GuestPointers m, OpenFile file, long typePointer, long sizePointer, long buffer)
            throws EfiException {
        requireNonNull(sizePointer, "BufferSize");
        EfiGuid type = EfiProtocolServices.guid(m, typePointer);
        byte[] info;
        if (type.equals(EfiGuid.FILE_INFO)) {
            info = fileInfo(file.entry, file.path.equals("/") ? "" : null);
        } else if (type.equals(EfiGuid.FILE_SYSTEM_INFO)) {
            byte[] label = (volume.label() + "\0").getBytes(StandardCharsets.UTF_16LE);
            ByteBuffer b = ByteBuffer.allocate(SYSTEM_INFO_HEADER + label.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, b.capacity()).put(8, (byte) 1).putLong(16, volume.totalBytes())
                    .putLong(24, volume.freeBytes()).putInt(32, volume.blockSize());
            b.position(SYSTEM_INFO_HEADER);
            b.put(label);
            info = b.array();
        } else if (type.equals(EfiGuid.FILE_SYSTEM_VOLUME_LABEL)) {
            info = (volume.label() + "\0").getBytes(StandardCharsets.UTF_16LE);
        } else {
            throw new EfiException(EfiStatus.UNSUPPORTED, "information type " + type);
        }
        long available = m.readU64(sizePointer);
        m.writeU64(sizePointer, info.length);
        if (Long.compareUnsigned(available, info.length) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        requireNonNull(buffer, "Buffer");
        m.write(buffer, info);
        return EfiStatus.SUCCESS;
    }

    private static byte[] fileInfo(EfiVolume.Entry entry) {
        return fileInfo(entry, null);
    }

    /** EFI_FILE_INFO (section 13.5.16): Size, FileSize, PhysicalSize, three EFI_TIMEs, Attribute, FileName. */
    private static byte[] fileInfo(EfiVolume.Entry entry, String nameOverride) {
        byte[] name = ((nameOverride != null ? nameOverride : entry.name()) + "\0")
                .getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(FILE_INFO_HEADER + name.length).order(ByteOrder.LITTLE_ENDIAN);
        long size = entry.isDirectory() ? 0 : entry.size();
        b.putLong(b.capacity()).putLong(size).putLong((size + 4095) & -4096L);
        byte[] time = efiTime(entry.modified());
        b.put(time).put(time).put(time);
        b.putLong(entry.attributes() | (entry.isDirectory() ? ATTRIBUTE_DIRECTORY : 0));
        b.put(name);
        return b.array();
    }

    private static byte[] efiTime(long epochSeconds) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) t.getYear()).put((byte) t.getMonthValue()).put((byte) t.getDayOfMonth());
        b.put((byte) t.getHour()).put((byte) t.getMinute()).put((byte) t.getSecond()).put((byte) 0);
        b.putInt(0).putShort((short) EfiRuntimeServices.EFI_UNSPECIFIED_TIMEZONE).put((byte) 0).put((byte) 0);
        return b.array();
    }
}
