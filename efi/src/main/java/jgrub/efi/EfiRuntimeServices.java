package jgrub.efi;

import static jgrub.efi.EfiBootServices.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Runtime services (UEFI 2.10 chapter 8), which keep working after ExitBootServices: the time from the host clock,
 * the variable store, ResetSystem (which ends the run), and SetVirtualAddressMap for the stubs' own pages.
 */
final class EfiRuntimeServices {

    static final int EFI_UNSPECIFIED_TIMEZONE = 0x07FF;
    /** Longest variable name read from the guest, in characters. */
    static final int MAX_NAME = 1024;

    private final EfiSystem efi;
    private long highMonotonic;
    private boolean virtualMapSet;

    EfiRuntimeServices(EfiSystem efi) {
        this.efi = efi;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        return switch (c.service()) {
            case GET_TIME -> getTime(m, c.arg(0), c.arg(1));
            case SET_TIME, GET_WAKEUP_TIME, SET_WAKEUP_TIME -> throw new EfiException(EfiStatus.UNSUPPORTED,
                    "the clock is the host's and has no alarm");
            case SET_VIRTUAL_ADDRESS_MAP -> setVirtualAddressMap(c, m);
            case CONVERT_POINTER -> throw new EfiException(EfiStatus.NOT_FOUND,
                    "ConvertPointer is only valid during SetVirtualAddressMap");
            case GET_VARIABLE -> getVariable(c, m);
            case GET_NEXT_VARIABLE_NAME -> getNextVariableName(c, m);
            case SET_VARIABLE -> {
                String name = m.readUcs2(nonNull(c.arg(0), "VariableName"), MAX_NAME);
                EfiGuid vendor = m.readGuid(nonNull(c.arg(1), "VendorGuid"));
                long size = c.arg(3);
                if (size < 0 || size > EfiVariableStore.MAX_VARIABLE_SIZE) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "DataSize " + size);
                }
                byte[] data = size == 0 ? new byte[0] : m.read(nonNull(c.arg(4), "Data"), (int) size);
                efi.variables.set(name, vendor, (int) c.arg(2), data);
                yield EfiStatus.SUCCESS;
            }
            case GET_NEXT_HIGH_MONOTONIC_COUNT -> {
                m.writeU32(nonNull(c.arg(0), "HighCount"), (int) ++highMonotonic);
                yield EfiStatus.SUCCESS;
            }
            case RESET_SYSTEM -> {
                String how = switch ((int) c.arg(0)) {
                    case 0 -> "cold reset";
                    case 1 -> "warm reset";
                    case 2 -> "shutdown";
                    case 3 -> "platform-specific reset";
                    default -> "reset type " + c.arg(0);
                };
                String data = c.arg(2) >= 2 && c.arg(3) != 0
                        ? m.readUcs2(c.arg(3), (int) Math.min(c.arg(2) / 2, 1024)) : "";
                efi.ending = new EfiSystem.Ending("ResetSystem: " + how, c.arg(1), data);
                yield EfiStatus.SUCCESS;
            }
            case UPDATE_CAPSULE, QUERY_CAPSULE_CAPABILITIES -> throw new EfiException(EfiStatus.UNSUPPORTED,
                    "capsules");
            case QUERY_VARIABLE_INFO -> {
                long[] info = efi.variables.query((int) c.arg(0));
                m.writeU64(nonNull(c.arg(1), "MaximumVariableStorageSize"), info[0]);
                m.writeU64(nonNull(c.arg(2), "RemainingVariableStorageSize"), info[1]);
                m.writeU64(nonNull(c.arg(3), "MaximumVariableSize"), info[2]);
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    private static long nonNull(long pointer, String name) throws EfiException {
        requireNonNull(pointer, name);
        return pointer;
    }

    /** GetTime: EFI_TIME (section 8.3) from the host clock, in UTC with the time zone left unspecified. */
    private long getTime(GuestPointers m, long timePointer, long capabilities) throws EfiException {
        requireNonNull(timePointer, "Time");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ByteBuffer t = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        t.putShort((short) now.getYear()).put((byte) now.getMonthValue()).put((byte) now.getDayOfMonth());
        t.put((byte) now.getHour()).put((byte) now.getMinute()).put((byte) now.getSecond()).put((byte) 0);
        t.putInt(now.getNano()).putShort((short) EFI_UNSPECIFIED_TIMEZONE).put((byte) 0).put((byte) 0);
        m.write(timePointer, t.array());
        if (capabilities != 0) {
            // EFI_TIME_CAPABILITIES: Resolution u32 (Hz), Accuracy u32 (ppm * 1e6), SetsToZero BOOLEAN.
            ByteBuffer cap = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            cap.putInt(1).putInt(50_000_000).put((byte) 0);
            m.write(capabilities, cap.array());
        }
        return EfiStatus.SUCCESS;
    }

    private long getVariable(EfiCall c, GuestPointers m) throws EfiException {
        String name = m.readUcs2(nonNull(c.arg(0), "VariableName"), MAX_NAME);
        EfiGuid vendor = m.readGuid(nonNull(c.arg(1), "VendorGuid"));
        long sizePointer = nonNull(c.arg(3), "DataSize");
        EfiVariableStore.Variable v = efi.variables.get(name, vendor);
        long available = m.readU64(sizePointer);
        m.writeU64(sizePointer, v.data().length);
        if (Long.compareUnsigned(available, v.data().length) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        m.write(nonNull(c.arg(4), "Data"), v.data());
        if (c.arg(2) != 0) {
            m.writeU32(c.arg(2), v.attributes());
        }
        return EfiStatus.SUCCESS;
    }

    private long getNextVariableName(EfiCall c, GuestPointers m) throws EfiException {
        long sizePointer = nonNull(c.arg(0), "VariableNameSize");
        long namePointer = nonNull(c.arg(1), "VariableName");
        long vendorPointer = nonNull(c.arg(2), "VendorGuid");
        long available = m.readU64(sizePointer);
        String name = m.readUcs2(namePointer, (int) Math.max(1, Math.min(available / 2, MAX_NAME)));
        EfiVariableStore.Key next = efi.variables.next(name, name.isEmpty() ? null : m.readGuid(vendorPointer));
        long needed = 2L * (next.name().length() + 1);
        m.writeU64(sizePointer, needed);
        if (Long.compareUnsigned(available, needed) < 0) {
            return EfiStatus.BUFFER_TOO_SMALL;
        }
        m.writeUcs2(namePointer, next.name());
        m.write(vendorPointer, next.vendor().toBytes());
        return EfiStatus.SUCCESS;
    }

    /**
     * SetVirtualAddressMap (section 8.4): once, after ExitBootServices. The stubs address their mailbox relative to
     * their own code, so they keep working as long as both pages move by the same amount; jgrub checks that.
     */
    private long setVirtualAddressMap(EfiCall c, GuestPointers m) throws EfiException {
        if (!efi.bootServicesExited || virtualMapSet) {
            throw new EfiException(EfiStatus.UNSUPPORTED, virtualMapSet ? "already called"
                    : "only after ExitBootServices");
        }
        long size = c.arg(0);
        long descriptorSize = c.arg(1);
        if (c.arg(2) != EfiMemoryMap.DESCRIPTOR_VERSION || descriptorSize < 40 || size % descriptorSize != 0
                || size > 1 << 20) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "map of " + size + " bytes in descriptors of "
                    + descriptorSize);
        }
        long codeOffset = Long.MIN_VALUE;
        long mailboxOffset = Long.MIN_VALUE;
        for (long at = 0; at < size; at += descriptorSize) {
            long physical = m.readU64(c.arg(3) + at + 8);
            long virtual = m.readU64(c.arg(3) + at + 16);
            long pages = m.readU64(c.arg(3) + at + 24);
            if (efi.stubCode >= physical && efi.stubCode < physical + pages * EfiMemoryMap.PAGE) {
                codeOffset = virtual - physical;
            }
            if (efi.mailbox >= physical && efi.mailbox < physical + pages * EfiMemoryMap.PAGE) {
                mailboxOffset = virtual - physical;
            }
        }
        if (codeOffset == Long.MIN_VALUE || codeOffset != mailboxOffset) {
            throw new EfiException(EfiStatus.NO_MAPPING, "the runtime stub and mailbox pages must move together");
        }
        virtualMapSet = true;
        // EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE functions run now, whatever the TPL, as EDK2's runtime driver calls them.
        efi.events.signalGroup(EfiEvents.GROUP_VIRTUAL_ADDRESS_CHANGE);
        efi.events.deferRunningAll(() -> java.util.OptionalLong.of(EfiStatus.SUCCESS));
        return EfiStatus.SUCCESS;
    }
}
