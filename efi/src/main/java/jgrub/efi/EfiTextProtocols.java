package jgrub.efi;

import java.nio.ByteBuffer;

/**
 * Simple Text Output and Input (UEFI 2.10 sections 12.3, 12.4) on jgrub's console: OutputString prints where the
 * guest's serial console goes; one 80x25 mode.
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
    private int pendingKey = -1;

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

        EfiHandles.Handle handle = efi.handles.create();
        efi.handles.install(handle, EfiGuid.SIMPLE_TEXT_OUTPUT, output);
        efi.handles.install(handle, EfiGuid.SIMPLE_TEXT_INPUT, input);
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
        }
        return pendingKey >= 0;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        if (c.service().table() == EfiService.Table.TEXT_OUTPUT && c.arg(0) != output
                || c.service().table() == EfiService.Table.TEXT_INPUT && c.arg(0) != input) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "This is not jgrub's console");
        }
        ByteBuffer md = efi.memory.slice(mode, 24);
        return switch (c.service()) {
            case TEXT_RESET, INPUT_RESET -> EfiStatus.SUCCESS;
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
            case INPUT_READ_KEY_STROKE -> {
                if (!keyWaiting()) {
                    yield EfiStatus.NOT_READY;
                }
                // EFI_INPUT_KEY: ScanCode u16, UnicodeChar u16 (section 12.3).
                int key = pendingKey;
                pendingKey = -1;
                m.writeU32(c.arg(1), (key == '\n' ? '\r' : key) << 16);
                yield EfiStatus.SUCCESS;
            }
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }
}
