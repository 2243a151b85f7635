package jgrub.efi;

import static jgrub.efi.EfiBootServices.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HashMap;
import java.util.Map;
import jgrub.boot.Contents;

/**
 * EFI_LOAD_FILE2_PROTOCOL (UEFI 2.10 section 13.2) over bytes jgrub holds, each on a handle of its own whose device
 * path names it: how GRUB 2.12's {@code initrd} on EFI hands Linux's EFI stub its initrd (grub-core/loader/efi/linux.c,
 * a handle with the LINUX_EFI_INITRD_MEDIA vendor media path; the stub finds it with LocateDevicePath and asks for the
 * size first, then for the bytes). The answers are GRUB's: a file path other than the end node is EFI_NOT_FOUND,
 * BootPolicy TRUE is EFI_UNSUPPORTED, a NULL or short buffer gets the size and EFI_BUFFER_TOO_SMALL.
 */
final class EfiLoadFile2 {

    /** The largest file served. */
    static final long MAX_SIZE = 1L << 30;
    /** EFI_LOAD_FILE2_PROTOCOL: one function pointer, LoadFile. */
    static final int PROTOCOL_SIZE = 8;

    /** What one interface serves: a name for the trace and the bytes. */
    private record Served(String name, Contents contents) {
    }

    /**
     * The caller's buffer as a channel: each piece is written at the next guest address through the caller's page
     * tables and guards, so a file is copied a piece at a time instead of through one heap buffer of its size.
     */
    private static final class GuestSink implements WritableByteChannel {

        /** A guest write the guards refused, carried through the channel's IOException. */
        static final class Refused extends IOException {
            final EfiException refusal;

            Refused(EfiException refusal) {
                super(refusal.getMessage());
                this.refusal = refusal;
            }
        }

        private final GuestPointers memory;
        long at;

        GuestSink(GuestPointers memory, long at) {
            this.memory = memory;
            this.at = at;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int length = src.remaining();
            try {
                memory.write(at, src);
            } catch (EfiException e) {
                throw new Refused(e);
            }
            at += length;
            return length;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final EfiSystem efi;
    private final Map<Long, Served> byInterface = new HashMap<>();

    EfiLoadFile2(EfiSystem efi) {
        this.efi = efi;
    }

    /** A new handle with {@code path} as its device path and LoadFile2 serving {@code contents}; returns it. */
    long install(EfiDevicePath path, String name, Contents contents) throws EfiException {
        if (contents.size() > MAX_SIZE) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, name + ": 0x" + Long.toHexString(contents.size())
                    + " bytes, more than the 0x" + Long.toHexString(MAX_SIZE) + " jgrub serves through LoadFile2");
        }
        GuestPointers physical = new GuestPointers(efi.memory, 0);
        long iface = efi.bootArena.allocate(PROTOCOL_SIZE);
        physical.writeU64(iface, efi.entry(EfiService.LOAD_FILE2_LOAD_FILE));
        byte[] encoded = path.encode();
        long devicePath = efi.bootArena.allocate(encoded.length);
        physical.write(devicePath, encoded);
        EfiHandles.Handle handle = efi.handles.create();
        efi.handles.install(handle, EfiGuid.DEVICE_PATH, devicePath);
        efi.handles.install(handle, EfiGuid.LOAD_FILE2, iface);
        byInterface.put(iface, new Served(name, contents));
        return handle.address;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        Served served = byInterface.get(c.arg(0));
        if (served == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(c.arg(0))
                    + " is not a LoadFile2 interface");
        }
        long sizePointer = c.arg(3);
        requireNonNull(sizePointer, "BufferSize");
        EfiDevicePath filePath = EfiDevicePath.decode(EfiProtocolServices.readDevicePath(m, c.arg(1)));
        if (!filePath.nodes().isEmpty()) {
            throw new EfiException(EfiStatus.NOT_FOUND, served.name + " has no file " + filePath.text());
        }
        if (c.arg(2) != 0) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "BootPolicy TRUE (LoadFile2 takes FALSE only)");
        }
        long size = served.contents.size();
        long available = m.readU64(sizePointer);
        long buffer = c.arg(4);
        if (buffer == 0 || Long.compareUnsigned(available, size) < 0) {
            m.writeU64(sizePointer, size);
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        GuestSink sink = new GuestSink(m, buffer);
        try {
            served.contents.copyTo(sink);
        } catch (GuestSink.Refused e) {
            throw e.refusal;
        } catch (IOException e) {
            throw new EfiException(EfiStatus.DEVICE_ERROR, served.name + ": " + e.getMessage());
        }
        if (sink.at - buffer != size) {
            throw new EfiException(EfiStatus.DEVICE_ERROR, served.name + ": 0x" + Long.toHexString(sink.at - buffer)
                    + " of its 0x" + Long.toHexString(size) + " bytes came");
        }
        m.writeU64(sizePointer, size);
        efi.log("LoadFile2: " + served.name + ", 0x" + Long.toHexString(size) + " bytes to 0x"
                + Long.toHexString(buffer));
        return EfiStatus.SUCCESS;
    }
}
