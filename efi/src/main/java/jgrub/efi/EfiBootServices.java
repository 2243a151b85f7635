package jgrub.efi;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Boot services other than the handle database: memory (section 7.2), images (7.4) and the miscellaneous services
 * (7.5); events, timers and TPLs (7.1) are {@link EfiEvents}'.
 */
final class EfiBootServices {

    private final EfiSystem efi;
    private long monotonic;
    private final Map<Long, Image> images = new HashMap<>();

    /** Largest buffer CalculateCrc32, CopyMem and SetMem work on: more than any guest's RAM here. */
    static final long MAX_MEMORY_OPERATION = 1L << 34;

    /**
     * An image with a handle: the one jgrub started, or one the guest loaded (then {@code pages} is what LoadImage
     * allocated for it and {@code entryPoint} where StartImage enters it).
     */
    static final class Image {
        final long handle;
        final long loadedImage;
        final long base;
        final long size;
        final long pages;
        final long entryPoint;
        final int subsystem;
        final long[] pools;
        State state;

        Image(long handle, long loadedImage, long base, long size, long pages, long entryPoint, int subsystem,
                long[] pools, State state) {
            this.handle = handle;
            this.loadedImage = loadedImage;
            this.base = base;
            this.size = size;
            this.pages = pages;
            this.entryPoint = entryPoint;
            this.subsystem = subsystem;
            this.pools = pools;
            this.state = state;
        }
    }

    /** Where an image is in its life (section 7.4): loaded, running (StartImage has not returned), returned. */
    enum State { LOADED, RUNNING, RETURNED }

    /** A StartImage in progress: the image it runs and where its caller wants the exit data. */
    record Frame(Image image, long exitDataSize, long exitData, long resumeRsp) {
    }

    /** The StartImage calls in progress, innermost first. */
    private final java.util.ArrayDeque<Frame> running = new java.util.ArrayDeque<>();

    /** The largest image file LoadImage reads: PeImage's limit for SizeOfImage. */
    static final long MAX_IMAGE_FILE = 1L << 30;

    EfiBootServices(EfiSystem efi) {
        this.efi = efi;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        return switch (c.service()) {
            case RAISE_TPL, RESTORE_TPL, CREATE_EVENT, CREATE_EVENT_EX, SET_TIMER, WAIT_FOR_EVENT, SIGNAL_EVENT,
                    CLOSE_EVENT, CHECK_EVENT -> efi.events.call(c);
            case ALLOCATE_PAGES -> allocatePages(c, m);
            case FREE_PAGES -> {
                efi.memoryMap.freePages(c.arg(0), c.arg(1));
                yield EfiStatus.SUCCESS;
            }
            case GET_MEMORY_MAP -> getMemoryMap(c, m);
            case ALLOCATE_POOL -> {
                requireNonNull(c.arg(2), "Buffer");
                m.writeU64(c.arg(2), efi.memoryMap.allocatePool(c.arg(0), c.arg(1)));
                yield EfiStatus.SUCCESS;
            }
            case FREE_POOL -> {
                // UEFI 2.10 section 7.2, FreePool: "Buffer: Pointer to the buffer to free", which must have been
                // allocated by AllocatePool; its only error is EFI_INVALID_PARAMETER, "Buffer was invalid". Unlike C's
                // free(), nothing in the specification makes NULL a no-op, and EDK2's CoreFreePool and U-Boot's
                // efi_free_pool both answer EFI_INVALID_PARAMETER for it: so does jgrub.
                requireNonNull(c.arg(0), "Buffer");
                efi.memoryMap.freePool(c.arg(0));
                yield EfiStatus.SUCCESS;
            }
            case LOAD_IMAGE -> loadImage(c, m);
            case START_IMAGE -> startImage(c, m);
            case EXIT -> exit(c, m);
            case UNLOAD_IMAGE -> unloadImage(c.arg(0));
            case EXIT_BOOT_SERVICES -> exitBootServices(c.arg(0), c.arg(1));
            case GET_NEXT_MONOTONIC_COUNT -> {
                requireNonNull(c.arg(0), "Count");
                m.writeU64(c.arg(0), ++monotonic);
                yield EfiStatus.SUCCESS;
            }
            case STALL -> stall(c.arg(0));
            case SET_WATCHDOG_TIMER -> {
                if (c.arg(0) != 0) {
                    efi.log("watchdog set to " + c.arg(0) + " s (not enforced: jgrub's --timeout bounds the run)");
                }
                yield EfiStatus.SUCCESS;
            }
            case CALCULATE_CRC32 -> calculateCrc32(m, c.arg(0), c.arg(1), c.arg(2));
            case COPY_MEM -> copyMem(m, c.arg(0), c.arg(1), c.arg(2));
            case SET_MEM -> {
                checkLength(c.arg(1));
                m.fill(c.arg(0), c.arg(1), (byte) c.arg(2));
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    private long allocatePages(EfiCall c, GuestPointers m) throws EfiException {
        long type = c.arg(0);
        requireNonNull(c.arg(3), "Memory");
        EfiMemoryMap.AllocateType how = switch ((int) type) {
            case 0 -> EfiMemoryMap.AllocateType.ANY_PAGES;
            case 1 -> EfiMemoryMap.AllocateType.MAX_ADDRESS;
            case 2 -> EfiMemoryMap.AllocateType.ADDRESS;
            default -> throw new EfiException(EfiStatus.INVALID_PARAMETER, "allocate type " + type);
        };
        long address = how == EfiMemoryMap.AllocateType.ANY_PAGES ? 0 : m.readU64(c.arg(3));
        long result = efi.memoryMap.allocatePages(how, c.arg(1), c.arg(2), address);
        m.writeU64(c.arg(3), result);
        return EfiStatus.SUCCESS;
    }

    private long getMemoryMap(EfiCall c, GuestPointers m) throws EfiException {
        long sizePointer = c.arg(0);
        requireNonNull(sizePointer, "MemoryMapSize");
        long available = m.readU64(sizePointer);
        int needed = efi.memoryMap.byteSize();
        m.writeU64(sizePointer, needed);
        if (c.arg(3) != 0) {
            m.writeU64(c.arg(3), EfiMemoryMap.DESCRIPTOR_SIZE);
        }
        if (c.arg(4) != 0) {
            m.writeU32(c.arg(4), EfiMemoryMap.DESCRIPTOR_VERSION);
        }
        if (Long.compareUnsigned(available, needed) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        requireNonNull(c.arg(1), "MemoryMap");
        ByteBuffer descriptors = ByteBuffer.allocate(needed).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        efi.memoryMap.writeDescriptors(descriptors);
        m.write(c.arg(1), descriptors.array());
        if (c.arg(2) != 0) {
            m.writeU64(c.arg(2), efi.memoryMap.mapKey());
        }
        return EfiStatus.SUCCESS;
    }

    /**
     * ExitBootServices (section 7.4.6) in EDK2's order: the EFI_EVENT_GROUP_BEFORE_EXIT_BOOT_SERVICES functions run,
     * then the map key is checked (a stale key fails with the services still up, so the caller can retry), then the
     * EXIT_BOOT_SERVICES group's functions run (iPXE shuts its devices down there), and only then are the boot
     * services gone.
     */
    private long exitBootServices(long imageHandle, long mapKey) throws EfiException {
        if (!images.containsKey(imageHandle)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(imageHandle)
                    + " is not an image handle");
        }
        efi.events.signalGroup(EfiEvents.GROUP_BEFORE_EXIT_BOOT_SERVICES);
        boolean[] keyChecked = {false};
        efi.events.defer(() -> {
            if (!keyChecked[0]) {
                if (mapKey != efi.memoryMap.mapKey()) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "map key " + mapKey + " is stale (current "
                            + efi.memoryMap.mapKey() + ")");
                }
                keyChecked[0] = true;
                efi.events.signalGroup(EfiEvents.GROUP_EXIT_BOOT_SERVICES);
                return java.util.OptionalLong.empty();
            }
            exitBootServices();
            return java.util.OptionalLong.of(EfiStatus.SUCCESS);
        });
        return EfiStatus.SUCCESS;
    }

    private void exitBootServices() throws EfiException {
        efi.bootServicesExited = true;
        efi.variables.exitBootServices();
        efi.setSystemTableField(EfiTables.ST_BOOT_SERVICES, 0);
        efi.setSystemTableField(EfiTables.ST_CONSOLE_IN_HANDLE, 0);
        efi.setSystemTableField(EfiTables.ST_CON_IN, 0);
        efi.setSystemTableField(EfiTables.ST_CONSOLE_OUT_HANDLE, 0);
        efi.setSystemTableField(EfiTables.ST_CON_OUT, 0);
        efi.setSystemTableField(EfiTables.ST_STANDARD_ERROR_HANDLE, 0);
        efi.setSystemTableField(EfiTables.ST_STD_ERR, 0);
        efi.log("ExitBootServices: boot services are gone; runtime services stay");
    }

    /**
     * Exit (section 7.4.5). For the image StartImage is running, its StartImage returns ExitStatus: the stub's Exit
     * routine finds the caller's stack in the mailbox and resumes there. For the image jgrub started, the run ends. An
     * image that was loaded and never started is unloaded. Any other handle is INVALID_PARAMETER.
     */
    private long exit(EfiCall c, GuestPointers m) throws EfiException {
        Image image = image(c.arg(0));
        long status = c.arg(1);
        if (image.state == State.LOADED) {
            unload(image);
            return EfiStatus.SUCCESS;
        }
        Frame frame = running.peek();
        if (frame != null) {
            if (frame.image != image) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(c.arg(0))
                        + " is not the image currently running (0x" + Long.toHexString(frame.image.handle) + ")");
            }
            long dataSize = c.arg(2);
            long data = c.arg(3);
            if (data != 0 && dataSize > 0) {
                if (frame.exitDataSize != 0 && frame.exitData != 0) {
                    m.writeU64(frame.exitDataSize, dataSize);
                    m.writeU64(frame.exitData, data);
                }
            }
            running.pop();
            finish(image, status);
            efi.resumeAfterExit(frame.resumeRsp);
            efi.log("Exit: image 0x" + Long.toHexString(image.handle) + " returns " + EfiStatus.name(status)
                    + " from its StartImage");
            return status;
        }
        String data = "";
        if (c.arg(2) > 0 && c.arg(3) != 0) {
            data = m.readUcs2(c.arg(3), (int) Math.min(c.arg(2) / 2, 4096));
        }
        efi.ending = new EfiSystem.Ending("image called Exit", status, data);
        return EfiStatus.SUCCESS;
    }

    private Image image(long handle) throws EfiException {
        Image image = images.get(handle);
        if (image == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(handle)
                    + " is not an image handle");
        }
        return image;
    }

    /**
     * LoadImage (section 7.4.1): from SourceBuffer when it is not NULL, else from DevicePath through the Simple File
     * System of the device it names. The image is checked in full, placed page-aligned below 4 GiB as
     * {@code chainloader} places one, as LOADER_CODE (or BOOT/RUNTIME_SERVICES_CODE for drivers), relocated and given
     * a handle with Loaded Image and Loaded Image Device Path. Nothing is allocated for an image that is refused.
     */
    private long loadImage(EfiCall c, GuestPointers m) throws EfiException {
        long parent = c.arg(1);
        long pathPointer = c.arg(2);
        long source = c.arg(3);
        long sourceSize = c.arg(4);
        long out = c.arg(5);
        requireNonNull(out, "ImageHandle");
        requireNonNull(parent, "ParentImageHandle");
        image(parent);
        m.writeU64(out, 0); // a wild ImageHandle pointer is refused before anything is placed
        if (source == 0 && pathPointer == 0) {
            throw new EfiException(EfiStatus.NOT_FOUND, "both SourceBuffer and DevicePath are NULL");
        }
        EfiDevicePath path = pathPointer == 0 ? null
                : EfiDevicePath.decode(EfiProtocolServices.readDevicePath(m, pathPointer));
        if (efi.imageLoader == null) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "this environment has no image loader (chainloader has)");
        }
        long device = 0;
        EfiDevicePath filePath = path;
        byte[] file;
        if (source != 0) {
            if (sourceSize <= 0 || sourceSize > MAX_IMAGE_FILE) {
                throw new EfiException(EfiStatus.LOAD_ERROR, "SourceSize 0x" + Long.toHexString(sourceSize));
            }
            file = m.read(source, (int) sourceSize);
            if (path != null) {
                EfiHandles.Handle found = efi.protocols.longestPrefix(path, EfiGuid.DEVICE_PATH);
                if (found != null) {
                    device = found.address;
                    filePath = remainder(path, efi.protocols.devicePath(device));
                }
            }
        } else {
            EfiHandles.Handle found = efi.protocols.longestPrefix(path, EfiGuid.SIMPLE_FILE_SYSTEM);
            if (found == null || efi.files == null) {
                // LoadFile2 and LoadFile (section 7.4.1 steps 2 and 3): no handle here carries them.
                throw new EfiException(EfiStatus.NOT_FOUND, "no Simple File System, LoadFile2 or LoadFile on "
                        + path.text());
            }
            device = found.address;
            filePath = remainder(path, efi.protocols.devicePath(device));
            if (filePath.nodes().isEmpty()
                    || !filePath.nodes().stream().allMatch(n -> n instanceof EfiDevicePath.FilePath)) {
                throw new EfiException(EfiStatus.NOT_FOUND, "no file path after the device in " + path.text());
            }
            file = efi.files.readWholeFile(filePath.filePath(), MAX_IMAGE_FILE);
        }
        String name = path != null ? path.text() : "image at 0x" + Long.toHexString(source);
        EfiImageLoader.Checked checked = efi.imageLoader.check(file, name);
        EfiMemoryType codeType;
        EfiMemoryType dataType;
        switch (checked.subsystem()) {
            case EfiImageLoader.SUBSYSTEM_EFI_APPLICATION -> {
                codeType = EfiMemoryType.LOADER_CODE;
                dataType = EfiMemoryType.LOADER_DATA;
            }
            case EfiImageLoader.SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER -> {
                codeType = EfiMemoryType.BOOT_SERVICES_CODE;
                dataType = EfiMemoryType.BOOT_SERVICES_DATA;
            }
            case EfiImageLoader.SUBSYSTEM_EFI_RUNTIME_DRIVER -> {
                codeType = EfiMemoryType.RUNTIME_SERVICES_CODE;
                dataType = EfiMemoryType.RUNTIME_SERVICES_DATA;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, name + ": PE subsystem " + checked.subsystem()
                    + " is not an EFI image");
        }
        long pages = (checked.size() + EfiMemoryMap.PAGE - 1) / EfiMemoryMap.PAGE;
        long base = efi.memoryMap.findFree(pages, 0, checked.limit() - pages * EfiMemoryMap.PAGE,
                checked.alignment(), true);
        if (base < 0) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, name + ": no room for 0x" + Long.toHexString(pages)
                    + " pages aligned to 0x" + Long.toHexString(checked.alignment()) + " below 0x"
                    + Long.toHexString(checked.limit()));
        }
        EfiImageLoader.Laid laid = checked.layAt(base);
        efi.memoryMap.allocatePages(EfiMemoryMap.AllocateType.ADDRESS, codeType.code(), pages, base);
        long handle;
        try {
            new GuestPointers(efi.memory, 0).write(base, laid.memory());
            handle = createImage(parent, base, checked.size(), pages, laid.entryPoint(), checked.subsystem(),
                    device, filePath, path, null, codeType, dataType, State.LOADED);
        } catch (EfiException e) {
            efi.memoryMap.freePages(base, pages); // no pool for the handle's protocols: the image goes too
            throw e;
        }
        m.writeU64(out, handle);
        efi.log("LoadImage: " + name + " at 0x" + Long.toHexString(base) + " as " + codeType + ", handle 0x"
                + Long.toHexString(handle));
        return EfiStatus.SUCCESS;
    }

    /** The nodes of {@code path} after those of {@code prefix}. */
    private static EfiDevicePath remainder(EfiDevicePath path, EfiDevicePath prefix) {
        return new EfiDevicePath(path.nodes().subList(prefix.nodes().size(), path.nodes().size()));
    }

    /**
     * StartImage (section 7.4.2), Java's half: checks the handle and hands the stub's StartImage routine the entry
     * point, ImageHandle and SystemTable through the mailbox. The routine has saved the caller's callee-saved
     * registers and calls the entry on the caller's stack (as EDK2 does); {@link #imageReturned} or {@link #exit}
     * end the frame.
     */
    private long startImage(EfiCall c, GuestPointers m) throws EfiException {
        Image image = image(c.arg(0));
        if (image.state != State.LOADED || image.entryPoint == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "image 0x" + Long.toHexString(image.handle)
                    + " has already been started");
        }
        if (c.arg(1) != 0) {
            m.readU64(c.arg(1)); // wild exit-data pointers are refused now, not when the image exits
        }
        if (c.arg(2) != 0) {
            m.readU64(c.arg(2));
        }
        image.state = State.RUNNING;
        // The routine called the trampoline, so the RSP it recorded is 8 below the routine's own stack.
        running.push(new Frame(image, c.arg(1), c.arg(2), c.rsp() + 8));
        efi.enterImage(image.entryPoint, image.handle);
        efi.log("StartImage: entering image 0x" + Long.toHexString(image.handle) + " at 0x"
                + Long.toHexString(image.entryPoint));
        return EfiStatus.SUCCESS;
    }

    /** The image StartImage entered returned with {@code status} in RAX: its StartImage returns that status. */
    long imageReturned(long status) throws EfiException {
        Frame frame = running.poll();
        if (frame == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "no StartImage is in progress");
        }
        finish(frame.image, status);
        return status;
    }

    /**
     * An image's entry point has returned or it called Exit. An application is unloaded then, and so is a driver that
     * failed (section 7.4.2; EDK2 and U-Boot unload both); a driver that succeeded stays resident.
     */
    private void finish(Image image, long status) throws EfiException {
        image.state = State.RETURNED;
        if (image.subsystem == EfiImageLoader.SUBSYSTEM_EFI_APPLICATION || EfiStatus.isError(status)) {
            unload(image);
        }
    }

    /**
     * UnloadImage (section 7.4.3): an image never started is unloaded. A started image could only be unloaded through
     * its own Unload function, which jgrub cannot call into (it would run guest code from a service): UNSUPPORTED.
     */
    private long unloadImage(long handle) throws EfiException {
        Image image = image(handle);
        if (image.state != State.LOADED || image.entryPoint == 0) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "image 0x" + Long.toHexString(handle)
                    + " has been started and cannot be unloaded");
        }
        unload(image);
        return EfiStatus.SUCCESS;
    }

    private void unload(Image image) throws EfiException {
        images.remove(image.handle);
        efi.handles.remove(efi.handles.get(image.handle));
        if (image.pages > 0) {
            efi.memoryMap.freePages(image.base, image.pages);
        }
        for (long pool : image.pools) {
            efi.memoryMap.freePool(pool);
        }
        efi.log("image 0x" + Long.toHexString(image.handle) + " unloaded");
    }

    private long stall(long microseconds) throws EfiException {
        if (microseconds < 0 || microseconds > 60_000_000L) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "Stall of " + microseconds + " us");
        }
        try {
            Thread.sleep(microseconds / 1000, (int) (microseconds % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EfiStatus.SUCCESS;
    }

    private long calculateCrc32(GuestPointers m, long data, long size, long out) throws EfiException {
        requireNonNull(data, "Data");
        requireNonNull(out, "Crc32");
        if (size == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "DataSize 0");
        }
        checkLength(size);
        CRC32 crc = new CRC32();
        for (long done = 0; done < size; ) {
            int chunk = (int) Math.min(size - done, 1 << 20);
            crc.update(m.read(data + done, chunk));
            done += chunk;
        }
        m.writeU32(out, (int) crc.getValue());
        return EfiStatus.SUCCESS;
    }

    /** CopyMem: overlapping buffers are handled as memmove does (section 7.5). */
    private long copyMem(GuestPointers m, long destination, long source, long length) throws EfiException {
        checkLength(length);
        if (length == 0) {
            return EfiStatus.SUCCESS;
        }
        int chunk = 1 << 20;
        boolean backwards = Long.compareUnsigned(destination, source) > 0
                && Long.compareUnsigned(destination, source + length) < 0;
        for (long done = 0; done < length; ) {
            int count = (int) Math.min(length - done, chunk);
            long offset = backwards ? length - done - count : done;
            m.write(destination + offset, m.read(source + offset, count));
            done += count;
        }
        return EfiStatus.SUCCESS;
    }

    private static void checkLength(long length) throws EfiException {
        if (length < 0 || length > MAX_MEMORY_OPERATION) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "length 0x" + Long.toHexString(length));
        }
    }

    static void requireNonNull(long pointer, String name) throws EfiException {
        if (pointer == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, name + " is NULL");
        }
    }

    /** Creates the handle of an image jgrub placed and starts itself (section 9.1 for the Loaded Image layout). */
    long createImage(long imageBase, long imageSize, long deviceHandle, EfiDevicePath filePath, String loadOptions)
            throws EfiException {
        EfiDevicePath full = deviceHandle != 0 ? efi.protocols.devicePath(deviceHandle).append(
                filePath.nodes().toArray(EfiDevicePath.Node[]::new)) : filePath;
        return createImage(0, imageBase, imageSize, 0, 0, EfiImageLoader.SUBSYSTEM_EFI_APPLICATION, deviceHandle,
                filePath, full, loadOptions, EfiMemoryType.LOADER_CODE, EfiMemoryType.LOADER_DATA, State.RUNNING);
    }

    static final int LOADED_IMAGE_SIZE = 96;

    /**
     * A handle with EFI_LOADED_IMAGE_PROTOCOL (section 9.1) and EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL (9.2; NULL for an
     * image loaded from a buffer without a device path, as EDK2 installs it). The protocol and paths live in pool
     * memory freed when the image is unloaded.
     */
    private long createImage(long parent, long imageBase, long imageSize, long pages, long entryPoint, int subsystem,
            long deviceHandle, EfiDevicePath filePath, EfiDevicePath fullPath, String loadOptions,
            EfiMemoryType codeType, EfiMemoryType dataType, State state) throws EfiException {
        GuestPointers physical = new GuestPointers(efi.memory, 0);
        java.util.List<Long> pools = new java.util.ArrayList<>();
        boolean arena = parent == 0; // jgrub's own image: its blocks in jgrub's arena, as before images could unload
        long loadedImage = pool(pools, arena, LOADED_IMAGE_SIZE);
        long path = 0;
        if (filePath != null) {
            path = pool(pools, arena, filePath.encode().length);
            physical.write(path, filePath.encode());
        }
        long options = 0;
        int optionsSize = 0;
        if (loadOptions != null) {
            byte[] ucs2 = (loadOptions + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            options = pool(pools, arena, ucs2.length);
            physical.write(options, ucs2);
            optionsSize = ucs2.length;
        }
        long devicePath = 0;
        if (fullPath != null) {
            devicePath = pool(pools, arena, fullPath.encode().length);
            physical.write(devicePath, fullPath.encode());
        }
        ByteBuffer li = efi.memory.slice(loadedImage, LOADED_IMAGE_SIZE);
        li.putInt(0, 0x1000); // EFI_LOADED_IMAGE_PROTOCOL_REVISION
        li.putLong(8, parent); // ParentHandle: 0 for the image jgrub (the firmware) started
        li.putLong(16, efi.systemTable);
        li.putLong(24, deviceHandle);
        li.putLong(32, path); // FilePath: relative to DeviceHandle
        li.putLong(40, 0);
        li.putInt(48, optionsSize);
        li.putLong(56, options);
        li.putLong(64, imageBase);
        li.putLong(72, imageSize);
        li.putInt(80, codeType.code());
        li.putInt(84, dataType.code());
        // Unload: jgrub's stub (UNSUPPORTED) for the image it started; NULL (no unload function) for loaded ones.
        li.putLong(88, parent == 0 ? efi.entry(EfiService.LOADED_IMAGE_UNLOAD) : 0);
        EfiHandles.Handle handle = efi.handles.create();
        efi.handles.install(handle, EfiGuid.LOADED_IMAGE, loadedImage);
        efi.handles.install(handle, EfiGuid.LOADED_IMAGE_DEVICE_PATH, devicePath);
        efi.protocols.installed(handle.address, EfiGuid.LOADED_IMAGE);
        efi.protocols.installed(handle.address, EfiGuid.LOADED_IMAGE_DEVICE_PATH);
        images.put(handle.address, new Image(handle.address, loadedImage, imageBase, imageSize, pages, entryPoint,
                subsystem, pools.stream().mapToLong(Long::longValue).toArray(), state));
        return handle.address;
    }

    private long pool(java.util.List<Long> pools, boolean arena, long size) throws EfiException {
        if (arena) {
            return efi.bootArena.allocate(size);
        }
        long address = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), size);
        pools.add(address);
        return address;
    }
}
