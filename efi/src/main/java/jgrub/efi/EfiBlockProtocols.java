package jgrub.efi;

import static jgrub.efi.EfiBootServices.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * EFI_BLOCK_IO_PROTOCOL and EFI_DISK_IO_PROTOCOL (UEFI 2.10 sections 13.9, 13.7) over the disk image and its ESP
 * partition, read-only. Xen looks at them for EDD information; other loaders read sectors through them.
 */
final class EfiBlockProtocols {

    static final long BLOCK_IO_REVISION = 0x00020001;
    static final long DISK_IO_REVISION = 0x00010000;
    static final int MEDIA_SIZE = 48;
    static final int MEDIA_ID = 1;

    private final EfiSystem efi;
    private final Map<Long, EfiBlockDevice> blockIo = new HashMap<>();
    private final Map<Long, EfiBlockDevice> diskIo = new HashMap<>();

    EfiBlockProtocols(EfiSystem efi) {
        this.efi = efi;
    }

    /** A handle with Block I/O, Disk I/O and the device path; returns the handle. */
    long install(EfiBlockDevice device, EfiDevicePath path, boolean partition) throws EfiException {
        // EFI_BLOCK_IO_MEDIA (section 13.9.1).
        long media = efi.bootArena.allocate(MEDIA_SIZE);
        ByteBuffer md = efi.memory.slice(media, MEDIA_SIZE);
        md.putInt(0, MEDIA_ID);
        md.put(4, (byte) 0); // RemovableMedia
        md.put(5, (byte) 1); // MediaPresent
        md.put(6, (byte) (partition ? 1 : 0)); // LogicalPartition
        md.put(7, (byte) 1); // ReadOnly
        md.put(8, (byte) 0); // WriteCaching
        md.putInt(12, device.blockSize());
        md.putInt(16, 0); // IoAlign
        md.putLong(24, device.size() / device.blockSize() - 1); // LastBlock
        md.putLong(32, 0); // LowestAlignedLba
        md.putInt(40, 1); // LogicalBlocksPerPhysicalBlock

        long block = efi.bootArena.allocate(48);
        ByteBuffer b = efi.memory.slice(block, 48);
        b.putLong(0, BLOCK_IO_REVISION);
        b.putLong(8, media);
        b.putLong(16, efi.entry(EfiService.BLOCK_RESET));
        b.putLong(24, efi.entry(EfiService.BLOCK_READ_BLOCKS));
        b.putLong(32, efi.entry(EfiService.BLOCK_WRITE_BLOCKS));
        b.putLong(40, efi.entry(EfiService.BLOCK_FLUSH_BLOCKS));

        long disk = efi.bootArena.allocate(24);
        ByteBuffer d = efi.memory.slice(disk, 24);
        d.putLong(0, DISK_IO_REVISION);
        d.putLong(8, efi.entry(EfiService.DISK_READ));
        d.putLong(16, efi.entry(EfiService.DISK_WRITE));

        byte[] encoded = path.encode();
        long devicePath = efi.bootArena.allocate(encoded.length);
        new GuestPointers(efi.memory, 0).write(devicePath, encoded);

        EfiHandles.Handle handle = efi.handles.create();
        efi.handles.install(handle, EfiGuid.DEVICE_PATH, devicePath);
        efi.handles.install(handle, EfiGuid.BLOCK_IO, block);
        efi.handles.install(handle, EfiGuid.DISK_IO, disk);
        blockIo.put(block, device);
        diskIo.put(disk, device);
        return handle.address;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        boolean isBlock = c.service().table() == EfiService.Table.BLOCK_IO;
        EfiBlockDevice device = (isBlock ? blockIo : diskIo).get(c.arg(0));
        if (device == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not one of jgrub's disks");
        }
        return switch (c.service()) {
            case BLOCK_RESET, BLOCK_FLUSH_BLOCKS -> EfiStatus.SUCCESS;
            case BLOCK_WRITE_BLOCKS, DISK_WRITE -> throw new EfiException(EfiStatus.WRITE_PROTECTED,
                    "the disk is read-only");
            case BLOCK_READ_BLOCKS -> {
                checkMedia(c.arg(1));
                long lba = c.arg(2);
                long size = c.arg(3);
                if (size % device.blockSize() != 0) {
                    throw new EfiException(EfiStatus.BAD_BUFFER_SIZE, "BufferSize " + size + " is not a multiple of "
                            + device.blockSize());
                }
                long blocks = device.size() / device.blockSize();
                if (lba < 0 || size < 0 || lba > blocks || size / device.blockSize() > blocks - lba) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "LBA " + lba + " + " + size + " bytes past "
                            + blocks + " blocks");
                }
                readInto(m, device, lba * device.blockSize(), size, c.arg(4));
                yield EfiStatus.SUCCESS;
            }
            case DISK_READ -> {
                checkMedia(c.arg(1));
                long offset = c.arg(2);
                long size = c.arg(3);
                if (offset < 0 || size < 0 || offset > device.size() || size > device.size() - offset) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "offset " + offset + " + " + size
                            + " bytes past " + device.size());
                }
                readInto(m, device, offset, size, c.arg(4));
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    private static void checkMedia(long mediaId) throws EfiException {
        if ((int) mediaId != MEDIA_ID) {
            throw new EfiException(EfiStatus.MEDIA_CHANGED, "media id " + mediaId);
        }
    }

    private static void readInto(GuestPointers m, EfiBlockDevice device, long offset, long size, long buffer)
            throws EfiException {
        if (size > 0) {
            requireNonNull(buffer, "Buffer");
        }
        try {
            for (long done = 0; done < size; ) {
                int chunk = (int) Math.min(size - done, 1 << 20);
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                device.read(offset + done, bytes);
                m.write(buffer + done, bytes.array());
                done += chunk;
            }
        } catch (IOException e) {
            throw new EfiException(EfiStatus.DEVICE_ERROR, e.getMessage());
        }
    }
}
