package jgrub.efi;

import java.nio.ByteBuffer;

/**
 * Simple Text Output, Input and Input Ex (UEFI 2.10 sections 12.2, 12.3, 12.4) on jgrub's console: OutputString
 * prints where the guest's serial console goes; one 80x25 mode. Keys come from jgrub's console as characters, so
 * Input Ex reports no shift or toggle state (EFI_SHIFT_STATE_VALID clear) and RegisterKeyNotify matches on the
 * character and scan code; a registered function runs in the guest at TPL_CALLBACK when its key is read.
 */
final class EfiTextProtocols {

    static final int COLUMNS = 80;
    static final int ROWS = 25;
    /** Longest string OutputString takes in one call, in characters. */
    static final int MAX_STRING = 1 << 16;

    /** SIMPLE_TEXT_OUTPUT_MODE fields: MaxMode, Mode, Attribute, CursorColumn, CursorRow (INT32), CursorVisible. */
    static final int MODE_ATTRIBUTE = 8;
    static final int MODE_CURSOR_COLUMN = 12;
    static final int MODE_CURSOR_ROW = 16;
    static final int MODE_CURSOR_VISIBLE = 20;

    private final EfiSystem efi;
    private long output;
    private long input;
    private long mode;
    private long waitForKey;
    private long inputEx;
    private int pendingKey = -1;
    /** RegisterKeyNotify's registrations: NotifyHandle (an event of {@link EfiEvents#createCallback}) to its key. */
    private final java.util.Map<Long, Integer> keyNotifies = new java.util.HashMap<>();

    /** EFI_KEY_DATA: EFI_INPUT_KEY (ScanCode, UnicodeChar), KeyShiftState, KeyToggleState, padded (section 12.2). */
    static final int KEY_DATA_SIZE = 12;
    static final int TOGGLE_STATE_VALID = 0x80;

    EfiTextProtocols(EfiSystem efi) {
        this.efi = efi;
    }

    /** Creates the console handle with both protocols and points the system table at it. */
    long install() throws EfiException {
        mode = efi.bootArena.allocate(24);
        ByteBuffer md = efi.memory.slice(mode, 24);
        md.putInt(0, 1).putInt(4, 0).putInt(MODE_ATTRIBUTE, 0x07).put(MODE_CURSOR_VISIBLE, (byte) 1);

        output = efi.bootArena.allocate(8 * 10);
        ByteBuffer out = efi.memory.slice(output, 80);
        int at = 0;
        for (EfiService s : EfiService.of(EfiService.Table.TEXT_OUTPUT)) {
            out.putLong(at, efi.entry(s));
            at += 8;
        }
        out.putLong(at, mode);

        waitForKey = efi.events.createInternal(this::keyWaiting);
        input = efi.bootArena.allocate(24);
        ByteBuffer in = efi.memory.slice(input, 24);
        in.putLong(0, efi.entry(EfiService.INPUT_RESET));
        in.putLong(8, efi.entry(EfiService.INPUT_READ_KEY_STROKE));
        in.putLong(16, waitForKey);

        inputEx = efi.bootArena.allocate(48);
        ByteBuffer ex = efi.memory.slice(inputEx, 48);
        ex.putLong(0, efi.entry(EfiService.INPUT_EX_RESET));
        ex.putLong(8, efi.entry(EfiService.INPUT_EX_READ_KEY_STROKE_EX));
        ex.putLong(16, efi.events.createInternal(this::keyWaiting)); // WaitForKeyEx
        ex.putLong(24, efi.entry(EfiService.INPUT_EX_SET_STATE));
        ex.putLong(32, efi.entry(EfiService.INPUT_EX_REGISTER_KEY_NOTIFY));
        ex.putLong(40, efi.entry(EfiService.INPUT_EX_UNREGISTER_KEY_NOTIFY));

        EfiHandles.Handle handle = efi.handles.create();
        efi.handles.install(handle, EfiGuid.SIMPLE_TEXT_OUTPUT, output);
        efi.handles.install(handle, EfiGuid.SIMPLE_TEXT_INPUT, input);
        efi.handles.install(handle, EfiGuid.SIMPLE_TEXT_INPUT_EX, inputEx);
        efi.setSystemTableField(EfiTables.ST_CONSOLE_IN_HANDLE, handle.address);
        efi.setSystemTableField(EfiTables.ST_CON_IN, input);
        efi.setSystemTableField(EfiTables.ST_CONSOLE_OUT_HANDLE, handle.address);
        efi.setSystemTableField(EfiTables.ST_CON_OUT, output);
        efi.setSystemTableField(EfiTables.ST_STANDARD_ERROR_HANDLE, handle.address);
        efi.setSystemTableField(EfiTables.ST_STD_ERR, output);
        return handle.address;
    }

    long waitForKey() {
        return waitForKey;
    }

    boolean keyWaiting() {
        if (pendingKey < 0) {
            pendingKey = efi.console.readKey();
            if (pendingKey >= 0) {
                notifyKey(inputKey(pendingKey));
            }
        }
        return pendingKey >= 0;
    }

    /** The EFI_INPUT_KEY of a character from the console: ScanCode 0, UnicodeChar (Enter is CR, section 12.3). */
    private static int inputKey(int key) {
        return (key == '\n' ? '\r' : key) << 16;
    }

    /** Signals the RegisterKeyNotify registrations of {@code key}; their functions run before the call returns. */
    private void notifyKey(int key) {
        for (java.util.Map.Entry<Long, Integer> e : keyNotifies.entrySet()) {
            if (e.getValue() == key) {
                try {
                    efi.events.signal(efi.events.event(e.getKey()));
                } catch (EfiException closed) {
                    efi.log("key notification 0x" + Long.toHexString(e.getKey()) + " is gone");
                }
            }
        }
    }

    /** Takes the waiting key as its EFI_INPUT_KEY, or -1 when none waits. */
    private long takeKey() {
        if (!keyWaiting()) {
            return -1;
        }
        int key = pendingKey;
        pendingKey = -1;
        return Integer.toUnsignedLong(inputKey(key));
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        if (c.service().table() == EfiService.Table.TEXT_OUTPUT && c.arg(0) != output
                || c.service().table() == EfiService.Table.TEXT_INPUT && c.arg(0) != input
                || c.service().table() == EfiService.Table.TEXT_INPUT_EX && c.arg(0) != inputEx) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's console");
        }
        ByteBuffer md = efi.memory.slice(mode, 24);
        return switch (c.service()) {
            case TEXT_RESET, INPUT_RESET, INPUT_EX_RESET -> EfiStatus.SUCCESS;
            case TEXT_OUTPUT_STRING -> {
                efi.console.print(m.readUcs2(c.arg(1), MAX_STRING));
                yield EfiStatus.SUCCESS;
            }
            case TEXT_TEST_STRING -> {
                m.readUcs2(c.arg(1), MAX_STRING);
                yield EfiStatus.SUCCESS;
            }
            case TEXT_QUERY_MODE -> {
                if (c.arg(1) != 0) {
                    throw new EfiException(EfiStatus.UNSUPPORTED, "mode " + c.arg(1));
                }
                m.writeU64(c.arg(2), COLUMNS);
                m.writeU64(c.arg(3), ROWS);
                yield EfiStatus.SUCCESS;
            }
            case TEXT_SET_MODE -> {
                if (c.arg(1) != 0) {
                    throw new EfiException(EfiStatus.UNSUPPORTED, "mode " + c.arg(1));
                }
                yield EfiStatus.SUCCESS;
            }
            case TEXT_SET_ATTRIBUTE -> {
                if ((c.arg(1) & ~0x7FL) != 0) {
                    throw new EfiException(EfiStatus.UNSUPPORTED, "attribute 0x" + Long.toHexString(c.arg(1)));
                }
                md.putInt(MODE_ATTRIBUTE, (int) c.arg(1));
                yield EfiStatus.SUCCESS;
            }
            case TEXT_CLEAR_SCREEN -> {
                md.putInt(MODE_CURSOR_COLUMN, 0).putInt(MODE_CURSOR_ROW, 0);
                yield EfiStatus.SUCCESS;
            }
            case TEXT_SET_CURSOR_POSITION -> {
                if (c.arg(1) < 0 || c.arg(1) >= COLUMNS || c.arg(2) < 0 || c.arg(2) >= ROWS) {
                    throw new EfiException(EfiStatus.UNSUPPORTED, "position " + c.arg(1) + "," + c.arg(2));
                }
                md.putInt(MODE_CURSOR_COLUMN, (int) c.arg(1)).putInt(MODE_CURSOR_ROW, (int) c.arg(2));
                yield EfiStatus.SUCCESS;
            }
            case TEXT_ENABLE_CURSOR -> {
                md.put(MODE_CURSOR_VISIBLE, (byte) (c.arg(1) & 1));
                yield EfiStatus.SUCCESS;
            }
            case INPUT_READ_KEY_STROKE, INPUT_EX_READ_KEY_STROKE_EX -> readKey(c, m);
            case INPUT_EX_SET_STATE -> {
                EfiBootServices.requireNonNull(c.arg(1), "KeyToggleState");
                int toggle = Byte.toUnsignedInt(m.read(c.arg(1), 1)[0]);
                if ((toggle & TOGGLE_STATE_VALID) == 0) { // as EDK2's terminal driver answers
                    throw new EfiException(EfiStatus.UNSUPPORTED, "KeyToggleState 0x" + Integer.toHexString(toggle)
                            + " without EFI_TOGGLE_STATE_VALID");
                }
                yield EfiStatus.SUCCESS;
            }
            case INPUT_EX_REGISTER_KEY_NOTIFY -> registerKeyNotify(c, m);
            case INPUT_EX_UNREGISTER_KEY_NOTIFY -> {
                if (keyNotifies.remove(c.arg(1)) == null) {
                    throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(c.arg(1))
                            + " is not a key notification handle");
                }
                efi.events.closeEvent(c.arg(1));
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    /** ReadKeyStroke writes an EFI_INPUT_KEY, ReadKeyStrokeEx an EFI_KEY_DATA with no shift or toggle state. */
    private long readKey(EfiCall c, GuestPointers m) throws EfiException {
        boolean ex = c.service() == EfiService.INPUT_EX_READ_KEY_STROKE_EX;
        EfiBootServices.requireNonNull(c.arg(1), ex ? "KeyData" : "Key");
        m.write(c.arg(1), new byte[ex ? KEY_DATA_SIZE : 4]); // a wild pointer is refused before a key is taken
        long key = takeKey();
        if (key < 0) {
            return EfiStatus.NOT_READY;
        }
        m.writeU32(c.arg(1), (int) key);
        return EfiStatus.SUCCESS;
    }

    /** RegisterKeyNotify: the function runs with a copy of the caller's EFI_KEY_DATA when that key is read. */
    private long registerKeyNotify(EfiCall c, GuestPointers m) throws EfiException {
        EfiBootServices.requireNonNull(c.arg(1), "KeyData");
        EfiBootServices.requireNonNull(c.arg(3), "NotifyHandle");
        byte[] keyData = m.read(c.arg(1), KEY_DATA_SIZE);
        m.writeU64(c.arg(3), 0);
        long handle = efi.events.createCallback(m, c.arg(2));
        efi.memory.slice(handle, KEY_DATA_SIZE).put(keyData);
        keyNotifies.put(handle, ByteBuffer.wrap(keyData).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
        m.writeU64(c.arg(3), handle);
        return EfiStatus.SUCCESS;
    }
}
