package jgrub.efi;

import static jgrub.efi.EfiBootServices.requireNonNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The protocol handler services (UEFI 2.10 section 7.3) and InstallConfigurationTable (section 7.5). */
final class EfiProtocolServices {

    static final int BY_HANDLE_PROTOCOL = 0x01;
    static final int GET_PROTOCOL = 0x02;
    static final int TEST_PROTOCOL = 0x04;
    static final int BY_CHILD_CONTROLLER = 0x08;
    static final int BY_DRIVER = 0x10;
    static final int EXCLUSIVE = 0x20;

    static final int ALL_HANDLES = 0;
    static final int BY_REGISTER_NOTIFY = 1;
    static final int BY_PROTOCOL = 2;

    /** Most protocol/interface pairs jgrub reads from one variadic call. */
    static final int MAX_VARIADIC_PAIRS = 64;

    private final EfiSystem efi;
    private final Map<EfiGuid, Long> guidCopies = new HashMap<>();
    private final List<EfiGuid> configurationGuids = new ArrayList<>();
    private final List<Long> configurationTables = new ArrayList<>();

    /**
     * A RegisterProtocolNotify registration (section 7.3): the protocol, the event signalled when an interface of it
     * is installed, and the handles that got one and have not yet been returned through the registration key.
     */
    private record Registration(EfiGuid protocol, long event, java.util.ArrayDeque<Long> pending) {
    }

    /** Registrations by the key the guest received (an address in jgrub's arena, so no two are alike). */
    private final Map<Long, Registration> registrations = new HashMap<>();

    EfiProtocolServices(EfiSystem efi) {
        this.efi = efi;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        return switch (c.service()) {
            case INSTALL_PROTOCOL_INTERFACE -> {
                if (c.arg(2) != 0) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "InterfaceType " + c.arg(2));
                }
                install(m, c.arg(0), List.of(new long[] {c.arg(1), c.arg(3)}));
                yield EfiStatus.SUCCESS;
            }
            case INSTALL_MULTIPLE_PROTOCOL_INTERFACES -> {
                install(m, c.arg(0), variadicPairs(c));
                yield EfiStatus.SUCCESS;
            }
            case REINSTALL_PROTOCOL_INTERFACE -> {
                EfiGuid guid = guid(m, c.arg(1));
                efi.handles.replace(efi.handles.get(c.arg(0)), guid, c.arg(2), c.arg(3));
                installed(c.arg(0), guid);
                yield EfiStatus.SUCCESS;
            }
            case UNINSTALL_PROTOCOL_INTERFACE -> {
                efi.handles.uninstall(efi.handles.get(c.arg(0)), guid(m, c.arg(1)), c.arg(2));
                yield EfiStatus.SUCCESS;
            }
            case UNINSTALL_MULTIPLE_PROTOCOL_INTERFACES -> {
                EfiHandles.Handle handle = efi.handles.get(c.arg(0));
                List<long[]> pairs = variadicPairs(c);
                for (long[] pair : pairs) { // all or nothing: check first
                    try {
                        EfiHandles.requireClosedInterface(handle, guid(m, pair[0]), pair[1]);
                    } catch (EfiException e) {
                        // Section 7.3: "One of the protocol interfaces was not previously installed on Handle" is
                        // EFI_INVALID_PARAMETER, whatever UninstallProtocolInterface would have answered.
                        throw new EfiException(EfiStatus.INVALID_PARAMETER, e.getMessage());
                    }
                }
                for (long[] pair : pairs) {
                    efi.handles.uninstall(handle, guid(m, pair[0]), pair[1]);
                }
                yield EfiStatus.SUCCESS;
            }
            case HANDLE_PROTOCOL -> {
                requireNonNull(c.arg(2), "Interface");
                long iface = efi.handles.protocol(efi.handles.get(c.arg(0)), guid(m, c.arg(1)));
                m.writeU64(c.arg(2), iface);
                yield EfiStatus.SUCCESS;
            }
            case OPEN_PROTOCOL -> openProtocol(c, m);
            case CLOSE_PROTOCOL -> closeProtocol(c, m);
            case OPEN_PROTOCOL_INFORMATION -> openProtocolInformation(c, m);
            case PROTOCOLS_PER_HANDLE -> protocolsPerHandle(c, m);
            case LOCATE_HANDLE -> locateHandle(c, m);
            case LOCATE_HANDLE_BUFFER -> locateHandleBuffer(c, m);
            case LOCATE_PROTOCOL -> {
                requireNonNull(c.arg(2), "Interface");
                EfiGuid guid = guid(m, c.arg(0));
                List<EfiHandles.Handle> found = c.arg(1) == 0 ? efi.handles.supporting(guid)
                        : notified(c.arg(1), guid);
                advance(c.arg(1) == 0 ? BY_PROTOCOL : BY_REGISTER_NOTIFY, c.arg(1));
                if (found.isEmpty()) {
                    throw new EfiException(EfiStatus.NOT_FOUND, "no handle has protocol " + guid.describe());
                }
                m.writeU64(c.arg(2), efi.handles.protocol(found.get(0), guid));
                yield EfiStatus.SUCCESS;
            }
            case LOCATE_DEVICE_PATH -> locateDevicePath(c, m);
            case INSTALL_CONFIGURATION_TABLE -> {
                installConfigurationTable(guid(m, c.arg(0)), c.arg(1));
                yield EfiStatus.SUCCESS;
            }
            case REGISTER_PROTOCOL_NOTIFY -> {
                requireNonNull(c.arg(2), "Registration");
                EfiGuid guid = guid(m, c.arg(0));
                efi.events.event(c.arg(1));
                long key = efi.bootArena.allocate(8);
                m.writeU64(c.arg(2), key);
                registrations.put(key, new Registration(guid, c.arg(1), new java.util.ArrayDeque<>()));
                yield EfiStatus.SUCCESS;
            }
            case CONNECT_CONTROLLER -> {
                efi.handles.get(c.arg(0));
                throw new EfiException(EfiStatus.NOT_FOUND, "no drivers to connect");
            }
            case DISCONNECT_CONTROLLER -> {
                efi.handles.get(c.arg(0));
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    static EfiGuid guid(GuestPointers m, long pointer) throws EfiException {
        requireNonNull(pointer, "Protocol GUID");
        return m.readGuid(pointer);
    }

    /** The (GUID pointer, interface) pairs of a variadic call, up to the NULL that ends them. */
    private List<long[]> variadicPairs(EfiCall c) throws EfiException {
        List<long[]> pairs = new ArrayList<>();
        for (int i = 1; ; i += 2) {
            long guid = c.arg(i);
            if (guid == 0) {
                return pairs;
            }
            if (pairs.size() == MAX_VARIADIC_PAIRS) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "more than " + MAX_VARIADIC_PAIRS
                        + " protocols, or no NULL to end them");
            }
            pairs.add(new long[] {guid, c.arg(i + 1)});
        }
    }

    private void install(GuestPointers m, long handlePointer, List<long[]> pairs) throws EfiException {
        requireNonNull(handlePointer, "Handle");
        long existing = m.readU64(handlePointer);
        EfiHandles.Handle handle = existing == 0 ? null : efi.handles.get(existing);
        List<EfiGuid> guids = new ArrayList<>();
        for (long[] pair : pairs) {
            EfiGuid guid = guid(m, pair[0]);
            if (guids.contains(guid) || handle != null && handle.protocols.containsKey(guid)) {
                // Section 7.3, InstallProtocolInterface and InstallMultipleProtocolInterfaces: "Protocol is already
                // installed on the handle specified by Handle" is EFI_INVALID_PARAMETER (ALREADY_STARTED is for a
                // device path already on another handle).
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "protocol " + guid + " is already installed");
            }
            if (guid.equals(EfiGuid.DEVICE_PATH)) {
                EfiDevicePath path = EfiDevicePath.decode(readDevicePath(m, pair[1]));
                for (EfiHandles.Handle other : efi.handles.supporting(EfiGuid.DEVICE_PATH)) {
                    if (java.util.Arrays.equals(devicePath(other.address).encode(), path.encode())) {
                        throw new EfiException(EfiStatus.ALREADY_STARTED, "device path " + path.text()
                                + " is already on a handle");
                    }
                }
            }
            guids.add(guid);
        }
        if (handle == null) {
            handle = efi.handles.create();
            m.writeU64(handlePointer, handle.address);
        }
        for (int i = 0; i < pairs.size(); i++) {
            efi.handles.install(handle, guids.get(i), pairs.get(i)[1]);
        }
        for (EfiGuid guid : guids) {
            installed(handle.address, guid);
        }
    }

    /** Reads a device path of unknown length from the guest, page by page up to its end node. */
    static ByteBuffer readDevicePath(GuestPointers m, long pointer) throws EfiException {
        requireNonNull(pointer, "DevicePath");
        ByteBuffer out = ByteBuffer.allocate(EfiDevicePath.MAX_BYTES);
        int at = 0;
        while (at + EfiDevicePath.HEADER <= EfiDevicePath.MAX_BYTES) {
            byte[] header = m.read(pointer + at, EfiDevicePath.HEADER);
            int length = (header[2] & 0xFF) | (header[3] & 0xFF) << 8;
            if (length < EfiDevicePath.HEADER || at + length > EfiDevicePath.MAX_BYTES) {
                out.put(header);
                break;
            }
            out.put(m.read(pointer + at, length));
            at += length;
            if ((header[0] & 0xFF) == EfiDevicePath.END_TYPE && (header[1] & 0xFF) == EfiDevicePath.END_ENTIRE) {
                break;
            }
        }
        return out.flip();
    }

    /** The device path installed on a handle. */
    EfiDevicePath devicePath(long handle) throws EfiException {
        long pointer = efi.handles.protocol(efi.handles.get(handle), EfiGuid.DEVICE_PATH);
        return EfiDevicePath.decode(readDevicePath(new GuestPointers(efi.memory, 0), pointer));
    }

    private long openProtocol(EfiCall c, GuestPointers m) throws EfiException {
        int attributes = (int) c.arg(5);
        if (attributes == 0 || (attributes & ~0x3F) != 0 || Integer.bitCount(attributes) > 2) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "attributes 0x" + Integer.toHexString(attributes));
        }
        if ((attributes & TEST_PROTOCOL) == 0) {
            requireNonNull(c.arg(2), "Interface");
        }
        if ((attributes & (BY_CHILD_CONTROLLER | BY_DRIVER | EXCLUSIVE)) != 0) {
            efi.handles.get(c.arg(3));
            efi.handles.get(c.arg(4));
        }
        EfiHandles.Handle handle = efi.handles.get(c.arg(0));
        EfiGuid guid = guid(m, c.arg(1));
        long iface = efi.handles.protocol(handle, guid);
        if ((attributes & TEST_PROTOCOL) == 0) {
            m.writeU64(c.arg(2), iface);
            handle.openings.computeIfAbsent(guid, g -> new ArrayList<>())
                    .add(new EfiHandles.Opening(c.arg(3), c.arg(4), attributes));
        }
        return EfiStatus.SUCCESS;
    }

    private long closeProtocol(EfiCall c, GuestPointers m) throws EfiException {
        EfiHandles.Handle handle = efi.handles.get(c.arg(0));
        EfiGuid guid = guid(m, c.arg(1));
        efi.handles.get(c.arg(2));
        if (!handle.protocols.containsKey(guid)) {
            // Section 7.3, CloseProtocol: "Handle does not support the protocol specified by Protocol" is
            // EFI_NOT_FOUND, not HandleProtocol's EFI_UNSUPPORTED.
            throw new EfiException(EfiStatus.NOT_FOUND, "handle 0x" + Long.toHexString(handle.address)
                    + " has no protocol " + guid.describe());
        }
        long agent = c.arg(2);
        long controller = c.arg(3);
        List<EfiHandles.Opening> openings = handle.openings.getOrDefault(guid, new ArrayList<>());
        boolean removed = openings.removeIf(o -> o.agent() == agent && o.controller() == controller);
        if (!removed) {
            throw new EfiException(EfiStatus.NOT_FOUND, "protocol " + guid + " is not open by that agent");
        }
        return EfiStatus.SUCCESS;
    }

    private long openProtocolInformation(EfiCall c, GuestPointers m) throws EfiException {
        requireNonNull(c.arg(2), "EntryBuffer");
        requireNonNull(c.arg(3), "EntryCount");
        EfiHandles.Handle handle = efi.handles.get(c.arg(0));
        EfiGuid guid = guid(m, c.arg(1));
        efi.handles.protocol(handle, guid);
        List<EfiHandles.Opening> openings = handle.openings.getOrDefault(guid, List.of());
        // EFI_OPEN_PROTOCOL_INFORMATION_ENTRY: AgentHandle, ControllerHandle, Attributes u32, OpenCount u32.
        ByteBuffer entries = ByteBuffer.allocate(24 * openings.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (EfiHandles.Opening o : openings) {
            entries.putLong(o.agent()).putLong(o.controller()).putInt(o.attributes()).putInt(1);
        }
        long buffer = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), entries.capacity());
        m.write(buffer, entries.array());
        m.writeU64(c.arg(2), buffer);
        m.writeU64(c.arg(3), openings.size());
        return EfiStatus.SUCCESS;
    }

    /** A copy of a GUID in guest memory, for services that return pointers to GUIDs. */
    private long guidCopy(EfiGuid guid) throws EfiException {
        Long address = guidCopies.get(guid);
        if (address == null) {
            address = efi.bootArena.allocate(EfiGuid.SIZE);
            new GuestPointers(efi.memory, 0).write(address, guid.toBytes());
            guidCopies.put(guid, address);
        }
        return address;
    }

    private long protocolsPerHandle(EfiCall c, GuestPointers m) throws EfiException {
        requireNonNull(c.arg(1), "ProtocolBuffer");
        requireNonNull(c.arg(2), "ProtocolBufferCount");
        EfiHandles.Handle handle = efi.handles.get(c.arg(0));
        ByteBuffer pointers = ByteBuffer.allocate(8 * handle.protocols.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (EfiGuid guid : handle.protocols.keySet()) {
            pointers.putLong(guidCopy(guid));
        }
        long buffer = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), pointers.capacity());
        m.write(buffer, pointers.array());
        m.writeU64(c.arg(1), buffer);
        m.writeU64(c.arg(2), handle.protocols.size());
        return EfiStatus.SUCCESS;
    }

    /**
     * An interface of {@code protocol} was installed on {@code handle}: every registration for it gets the handle and
     * its event is signalled (a closed event's registration is dropped).
     */
    void installed(long handle, EfiGuid protocol) {
        registrations.values().removeIf(r -> {
            if (!r.protocol.equals(protocol)) {
                return false;
            }
            try {
                efi.events.signal(efi.events.event(r.event));
            } catch (EfiException closed) {
                return true;
            }
            r.pending.add(handle);
            return false;
        });
    }

    /**
     * The next handle a registration has not yet returned (LocateHandle ByRegisterNotify returns one at a time,
     * section 7.3; the caller takes it with {@link #advance} once it has been returned); none is NOT_FOUND, an unknown
     * key INVALID_PARAMETER.
     */
    private List<EfiHandles.Handle> notified(long key, EfiGuid protocol) throws EfiException {
        Registration r = registrations.get(key);
        if (r == null || protocol != null && !protocol.equals(r.protocol)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(key)
                    + " is not a registration" + (protocol == null ? "" : " for " + protocol.describe()));
        }
        for (; !r.pending.isEmpty(); r.pending.poll()) { // handles that lost the protocol since are skipped
            EfiHandles.Handle found = efi.handles.find(r.pending.peek());
            if (found != null && found.protocols.containsKey(r.protocol)) {
                return List.of(found);
            }
        }
        throw new EfiException(EfiStatus.NOT_FOUND, "no new handle with " + r.protocol.describe());
    }

    private void advance(long searchType, long key) {
        if (searchType == BY_REGISTER_NOTIFY) {
            registrations.get(key).pending.poll();
        }
    }

    private List<EfiHandles.Handle> search(GuestPointers m, long searchType, long protocol, long key)
            throws EfiException {
        List<EfiHandles.Handle> found = switch ((int) searchType) {
            case ALL_HANDLES -> efi.handles.supporting(null);
            case BY_PROTOCOL -> {
                EfiGuid guid = guid(m, protocol);
                List<EfiHandles.Handle> handles = efi.handles.supporting(guid);
                if (handles.isEmpty()) {
                    throw new EfiException(EfiStatus.NOT_FOUND, "no handle has protocol " + guid.describe());
                }
                yield handles;
            }
            case BY_REGISTER_NOTIFY -> {
                requireNonNull(key, "SearchKey");
                yield notified(key, null);
            }
            default -> throw new EfiException(EfiStatus.INVALID_PARAMETER, "search type " + searchType);
        };
        if (searchType < 0 || searchType > 2) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "search type " + searchType);
        }
        if (found.isEmpty()) {
            throw new EfiException(EfiStatus.NOT_FOUND, "no handle matches");
        }
        return found;
    }

    private long locateHandle(EfiCall c, GuestPointers m) throws EfiException {
        requireNonNull(c.arg(3), "BufferSize");
        List<EfiHandles.Handle> found = search(m, c.arg(0), c.arg(1), c.arg(2));
        long available = m.readU64(c.arg(3));
        long needed = 8L * found.size();
        m.writeU64(c.arg(3), needed);
        if (Long.compareUnsigned(available, needed) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        requireNonNull(c.arg(4), "Buffer");
        ByteBuffer out = ByteBuffer.allocate((int) needed).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        found.forEach(h -> out.putLong(h.address));
        m.write(c.arg(4), out.array());
        advance(c.arg(0), c.arg(2));
        return EfiStatus.SUCCESS;
    }

    private long locateHandleBuffer(EfiCall c, GuestPointers m) throws EfiException {
        requireNonNull(c.arg(3), "NoHandles");
        requireNonNull(c.arg(4), "Buffer");
        List<EfiHandles.Handle> found = search(m, c.arg(0), c.arg(1), c.arg(2));
        ByteBuffer out = ByteBuffer.allocate(8 * found.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        found.forEach(h -> out.putLong(h.address));
        long buffer = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), out.capacity());
        m.write(buffer, out.array());
        m.writeU64(c.arg(3), found.size());
        m.writeU64(c.arg(4), buffer);
        advance(c.arg(0), c.arg(2));
        return EfiStatus.SUCCESS;
    }

    /** The handle with {@code protocol} whose device path is the longest prefix of {@code path}, or null. */
    EfiHandles.Handle longestPrefix(EfiDevicePath path, EfiGuid protocol) throws EfiException {
        EfiHandles.Handle best = null;
        int bestNodes = -1;
        for (EfiHandles.Handle h : efi.handles.supporting(protocol)) {
            if (!h.protocols.containsKey(EfiGuid.DEVICE_PATH)) {
                continue;
            }
            EfiDevicePath candidate = devicePath(h.address);
            if (path.startsWith(candidate) && candidate.nodes().size() > bestNodes) {
                best = h;
                bestNodes = candidate.nodes().size();
            }
        }
        return best;
    }

    /** LocateDevicePath: the handle with the protocol whose device path is the longest prefix of the given path. */
    private long locateDevicePath(EfiCall c, GuestPointers m) throws EfiException {
        requireNonNull(c.arg(1), "DevicePath");
        requireNonNull(c.arg(2), "Device");
        EfiGuid guid = guid(m, c.arg(0));
        long pathPointer = m.readU64(c.arg(1));
        EfiDevicePath path = EfiDevicePath.decode(readDevicePath(m, pathPointer));
        EfiHandles.Handle best = longestPrefix(path, guid);
        if (best == null) {
            throw new EfiException(EfiStatus.NOT_FOUND, "no handle with " + guid.describe() + " on " + path.text());
        }
        int bestNodes = devicePath(best.address).nodes().size();
        int consumed = 0;
        for (int i = 0; i < bestNodes; i++) {
            consumed += EfiDevicePath.HEADER + path.nodes().get(i).body().length;
        }
        m.writeU64(c.arg(1), pathPointer + consumed);
        m.writeU64(c.arg(2), best.address);
        return EfiStatus.SUCCESS;
    }

    /** Adds, replaces or (table 0) removes a configuration table, and updates the system table. */
    void installConfigurationTable(EfiGuid guid, long table) throws EfiException {
        int index = configurationGuids.indexOf(guid);
        if (table == 0) {
            if (index < 0) {
                throw new EfiException(EfiStatus.NOT_FOUND, "no configuration table " + guid);
            }
            configurationGuids.remove(index);
            configurationTables.remove(index);
        } else if (index >= 0) {
            configurationTables.set(index, table);
        } else {
            if (configurationGuids.size() == EfiTables.MAX_CONFIGURATION_TABLES) {
                throw new EfiException(EfiStatus.OUT_OF_RESOURCES, "configuration table array is full");
            }
            configurationGuids.add(guid);
            configurationTables.add(table);
        }
        GuestPointers physical = new GuestPointers(efi.memory, 0);
        for (int i = 0; i < configurationGuids.size(); i++) {
            long entry = efi.configurationTables + (long) i * EfiTables.CONFIGURATION_ENTRY_SIZE;
            physical.write(entry, configurationGuids.get(i).toBytes());
            physical.writeU64(entry + EfiGuid.SIZE, configurationTables.get(i));
        }
        efi.setSystemTableField(EfiTables.ST_NUMBER_OF_TABLE_ENTRIES, configurationGuids.size());
    }
}
