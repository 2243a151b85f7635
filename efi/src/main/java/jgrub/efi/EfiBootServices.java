package jgrub.efi;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Boot services other than the handle database: memory (section 7.2), events and timers (7.1), images (7.4) and the
 * miscellaneous services (7.5). Events behave on the host clock: a timer set for 10 ms is signalled 10 ms later.
 */
final class EfiBootServices {

    private final EfiSystem efi;
    private long tpl = TPL_APPLICATION;
    private long monotonic;
    private final Map<Long, Event> events = new HashMap<>();
    private final Map<Long, Image> images = new HashMap<>();

    static final long TPL_APPLICATION = 4;
    static final long TPL_HIGH_LEVEL = 31;

    static final int EVT_TIMER = 0x80000000;
    static final int EVT_NOTIFY_WAIT = 0x00000100;
    static final int EVT_NOTIFY_SIGNAL = 0x00000200;
    static final int EVT_SIGNAL_EXIT_BOOT_SERVICES = 0x00000201;
    static final int EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE = 0x60000202;

    /** Largest buffer CalculateCrc32, CopyMem and SetMem work on: more than any guest's RAM here. */
    static final long MAX_MEMORY_OPERATION = 1L << 34;

    static final class Event {
        final int type;
        boolean signaled;
        long deadlineNanos = -1;
        long periodNanos;

        Event(int type) {
            this.type = type;
        }
    }

    /** An image jgrub placed: its Loaded Image protocol and whether it has been started. */
    record Image(long handle, long loadedImage, long base, long size) {
    }

    EfiBootServices(EfiSystem efi) {
        this.efi = efi;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        return switch (c.service()) {
            case RAISE_TPL -> raiseTpl(c.arg(0));
            case RESTORE_TPL -> {
                tpl = c.arg(0);
                yield EfiStatus.SUCCESS;
            }
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
                efi.memoryMap.freePool(c.arg(0));
                yield EfiStatus.SUCCESS;
            }
            case CREATE_EVENT -> createEvent(c, m, c.arg(4));
            case CREATE_EVENT_EX -> createEvent(c, m, c.arg(5));
            case SET_TIMER -> setTimer(c.arg(0), c.arg(1), c.arg(2));
            case WAIT_FOR_EVENT -> waitForEvent(c, m);
            case SIGNAL_EVENT -> {
                event(c.arg(0)).signaled = true;
                yield EfiStatus.SUCCESS;
            }
            case CLOSE_EVENT -> {
                event(c.arg(0));
                events.remove(c.arg(0));
                yield EfiStatus.SUCCESS;
            }
            case CHECK_EVENT -> checkEvent(c.arg(0));
            case LOAD_IMAGE -> throw new EfiException(EfiStatus.UNSUPPORTED,
                    "LoadImage from the guest: jgrub loads images itself (chainloader)");
            case START_IMAGE -> throw new EfiException(EfiStatus.UNSUPPORTED,
                    "StartImage from the guest: jgrub starts images itself (chainloader)");
            case EXIT -> exit(c, m);
            case UNLOAD_IMAGE -> throw new EfiException(EfiStatus.UNSUPPORTED, "images cannot be unloaded");
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

    private long raiseTpl(long newTpl) {
        long old = tpl;
        tpl = newTpl;
        return old;
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

    private long exitBootServices(long imageHandle, long mapKey) throws EfiException {
        if (!images.containsKey(imageHandle)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(imageHandle)
                    + " is not an image handle");
        }
        if (mapKey != efi.memoryMap.mapKey()) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "map key " + mapKey + " is stale (current "
                    + efi.memoryMap.mapKey() + ")");
        }
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
        return EfiStatus.SUCCESS;
    }

    private long exit(EfiCall c, GuestPointers m) throws EfiException {
        if (!images.containsKey(c.arg(0))) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(c.arg(0))
                    + " is not an image handle");
        }
        String data = "";
        if (c.arg(2) > 0 && c.arg(3) != 0) {
            data = m.readUcs2(c.arg(3), (int) Math.min(c.arg(2) / 2, 4096));
        }
        efi.ending = new EfiSystem.Ending("image called Exit", c.arg(1), data);
        return EfiStatus.SUCCESS;
    }

    private long createEvent(EfiCall c, GuestPointers m, long eventPointer) throws EfiException {
        int type = (int) c.arg(0);
        requireNonNull(eventPointer, "Event");
        if ((type & (EVT_NOTIFY_SIGNAL | EVT_NOTIFY_WAIT)) != 0 || c.arg(2) != 0) {
            // Calling back into guest code from a service is not something jgrub's stubs can do.
            throw new EfiException(EfiStatus.UNSUPPORTED, "events with notification functions");
        }
        long handle = efi.bootArena.allocate(16);
        events.put(handle, new Event(type));
        m.writeU64(eventPointer, handle);
        return EfiStatus.SUCCESS;
    }

    Event event(long handle) throws EfiException {
        Event event = events.get(handle);
        if (event == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(handle) + " is not an event");
        }
        return event;
    }

    /** An event jgrub itself signals, such as the console's WaitForKey. */
    long createInternalEvent() throws EfiException {
        long handle = efi.bootArena.allocate(16);
        events.put(handle, new Event(0));
        return handle;
    }

    private long setTimer(long handle, long type, long hundredsOfNanos) throws EfiException {
        Event event = event(handle);
        if ((event.type & EVT_TIMER) == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "not a timer event");
        }
        long nanos = Math.multiplyHigh(hundredsOfNanos, 100) != 0 ? Long.MAX_VALUE : hundredsOfNanos * 100;
        switch ((int) type) {
            case 0 -> event.deadlineNanos = -1; // TimerCancel
            case 1 -> { // TimerPeriodic
                event.periodNanos = Math.max(nanos, 1);
                event.deadlineNanos = System.nanoTime() + event.periodNanos;
            }
            case 2 -> { // TimerRelative
                event.periodNanos = 0;
                event.deadlineNanos = System.nanoTime() + nanos;
            }
            default -> throw new EfiException(EfiStatus.INVALID_PARAMETER, "timer type " + type);
        }
        return EfiStatus.SUCCESS;
    }

    private boolean poll(Event event) {
        if (event.deadlineNanos >= 0 && System.nanoTime() - event.deadlineNanos >= 0) {
            event.signaled = true;
            event.deadlineNanos = event.periodNanos > 0 ? event.deadlineNanos + event.periodNanos : -1;
        }
        return event.signaled;
    }

    private long checkEvent(long handle) throws EfiException {
        Event event = event(handle);
        if ((event.type & EVT_NOTIFY_SIGNAL) != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "notify-signal event");
        }
        if (handle == efi.text.waitForKey() && efi.text.keyWaiting()) {
            return EfiStatus.SUCCESS;
        }
        if (poll(event)) {
            event.signaled = false;
            return EfiStatus.SUCCESS;
        }
        return EfiStatus.NOT_READY;
    }

    private long waitForEvent(EfiCall c, GuestPointers m) throws EfiException {
        long count = c.arg(0);
        if (count <= 0 || count > 64) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "NumberOfEvents " + count);
        }
        requireNonNull(c.arg(2), "Index");
        if (tpl != TPL_APPLICATION) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "WaitForEvent above TPL_APPLICATION");
        }
        long[] handles = new long[(int) count];
        for (int i = 0; i < count; i++) {
            handles[i] = m.readU64(c.arg(1) + 8L * i);
            event(handles[i]);
        }
        while (true) {
            for (int i = 0; i < count; i++) {
                if (checkEvent(handles[i]) == EfiStatus.SUCCESS) {
                    m.writeU64(c.arg(2), i);
                    return EfiStatus.SUCCESS;
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EfiException(EfiStatus.ABORTED, "jgrub is stopping");
            }
        }
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

    /** Creates the handle of an image jgrub placed (section 9.1 for the Loaded Image layout). */
    long createImage(long imageBase, long imageSize, long deviceHandle, EfiDevicePath filePath, String loadOptions)
            throws EfiException {
        GuestPointers physical = new GuestPointers(efi.memory, 0);
        EfiHandles.Handle handle = efi.handles.create();
        long loadedImage = efi.bootArena.allocate(96);
        long path = efi.bootArena.allocate(filePath.encode().length);
        physical.write(path, filePath.encode());
        long options = 0;
        int optionsSize = 0;
        if (loadOptions != null) {
            byte[] ucs2 = (loadOptions + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            options = efi.bootArena.allocate(ucs2.length);
            physical.write(options, ucs2);
            optionsSize = ucs2.length;
        }
        ByteBuffer li = efi.memory.slice(loadedImage, 96);
        li.putInt(0, 0x1000); // EFI_LOADED_IMAGE_PROTOCOL_REVISION
        li.putLong(8, 0); // ParentHandle: started by the firmware (jgrub)
        li.putLong(16, efi.systemTable);
        li.putLong(24, deviceHandle);
        li.putLong(32, path); // FilePath: relative to DeviceHandle
        li.putLong(40, 0);
        li.putInt(48, optionsSize);
        li.putLong(56, options);
        li.putLong(64, imageBase);
        li.putLong(72, imageSize);
        li.putInt(80, EfiMemoryType.LOADER_CODE.code());
        li.putInt(84, EfiMemoryType.LOADER_DATA.code());
        li.putLong(88, efi.entry(EfiService.LOADED_IMAGE_UNLOAD));
        efi.handles.install(handle, EfiGuid.LOADED_IMAGE, loadedImage);
        EfiDevicePath full = deviceHandle != 0 ? efi.protocols.devicePath(deviceHandle).append(
                filePath.nodes().toArray(EfiDevicePath.Node[]::new)) : filePath;
        long fullPath = efi.bootArena.allocate(full.encode().length);
        physical.write(fullPath, full.encode());
        efi.handles.install(handle, EfiGuid.LOADED_IMAGE_DEVICE_PATH, fullPath);
        images.put(handle.address, new Image(handle.address, loadedImage, imageBase, imageSize));
        return handle.address;
    }
}
