package jgrub.efi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handle database (UEFI 2.10 section 7.3): handles, the protocol interfaces installed on each, and who opened
 * them. A handle is the guest address of a small block in jgrub's arena, so it is a real pointer the guest can hold;
 * only addresses this database issued are handles.
 */
final class EfiHandles {

    /** One open of a protocol by an agent (OpenProtocol, section 7.3). */
    record Opening(long agent, long controller, int attributes) {
    }

    static final class Handle {
        final long address;
        final Map<EfiGuid, Long> protocols = new LinkedHashMap<>();
        final Map<EfiGuid, List<Opening>> openings = new LinkedHashMap<>();

        Handle(long address) {
            this.address = address;
        }
    }

    private final EfiArena arena;
    private final Map<Long, Handle> handles = new LinkedHashMap<>();

    EfiHandles(EfiArena arena) {
        this.arena = arena;
    }

    Handle create() throws EfiException {
        long address = arena.allocate(16);
        Handle handle = new Handle(address);
        handles.put(address, handle);
        return handle;
    }

    /** The handle at {@code address}, or null. */
    Handle find(long address) {
        return handles.get(address);
    }

    /** The handle at a guest-supplied value; anything else is INVALID_PARAMETER. */
    Handle get(long address) throws EfiException {
        Handle handle = handles.get(address);
        if (handle == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(address) + " is not a handle");
        }
        return handle;
    }

    void install(Handle handle, EfiGuid protocol, long iface) throws EfiException {
        if (handle.protocols.containsKey(protocol)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "protocol " + protocol + " is already on handle 0x"
                    + Long.toHexString(handle.address));
        }
        handle.protocols.put(protocol, iface);
    }

    void uninstall(Handle handle, EfiGuid protocol, long iface) throws EfiException {
        requireClosedInterface(handle, protocol, iface);
        handle.protocols.remove(protocol);
        handle.openings.remove(protocol);
        if (handle.protocols.isEmpty()) {
            handles.remove(handle.address);
        }
    }

    /** ReinstallProtocolInterface: swaps the interface of an installed, unopened protocol. */
    void replace(Handle handle, EfiGuid protocol, long oldInterface, long newInterface) throws EfiException {
        requireClosedInterface(handle, protocol, oldInterface);
        handle.protocols.put(protocol, newInterface);
    }

    /** The protocol must be on the handle with exactly this interface, and nobody may have it open. */
    static void requireClosedInterface(Handle handle, EfiGuid protocol, long iface) throws EfiException {
        Long installed = handle.protocols.get(protocol);
        if (installed == null || installed != iface) {
            throw new EfiException(EfiStatus.NOT_FOUND, "protocol " + protocol + " with interface 0x"
                    + Long.toHexString(iface) + " is not on handle 0x" + Long.toHexString(handle.address));
        }
        if (!handle.openings.getOrDefault(protocol, List.of()).isEmpty()) {
            throw new EfiException(EfiStatus.ACCESS_DENIED, "protocol " + protocol + " is open");
        }
    }

    /** Removes a handle with all its protocols, as unloading an image does (section 7.4.3). */
    void remove(Handle handle) {
        handles.remove(handle.address);
    }

    /** The interface of a protocol on a handle (HandleProtocol), or UNSUPPORTED when the handle lacks it. */
    long protocol(Handle handle, EfiGuid protocol) throws EfiException {
        Long iface = handle.protocols.get(protocol);
        if (iface == null) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "handle 0x" + Long.toHexString(handle.address)
                    + " has no protocol " + protocol.describe());
        }
        return iface;
    }

    /** Handles supporting {@code protocol} (all handles for null), in creation order. */
    List<Handle> supporting(EfiGuid protocol) {
        List<Handle> out = new ArrayList<>();
        for (Handle handle : handles.values()) {
            if (protocol == null || handle.protocols.containsKey(protocol)) {
                out.add(handle);
            }
        }
        return out;
    }
}
