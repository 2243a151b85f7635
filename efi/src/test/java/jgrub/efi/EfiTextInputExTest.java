package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simple Text Input and Input Ex on jgrub's console: keys, WaitForKey(Ex), SetState, key notifications. */
class EfiTextInputExTest {

    private final EfiHarness h;
    private final long inputEx;

    EfiTextInputExTest() throws EfiException {
        h = new EfiHarness();
        long out = h.u64(0);
        long consoleIn = h.systemTable().getLong(EfiTables.ST_CONSOLE_IN_HANDLE);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, consoleIn,
                h.guid(EfiGuid.SIMPLE_TEXT_INPUT_EX), out));
        inputEx = h.readU64(out);
    }

    private long keyData(int scan, int unicode) throws EfiException {
        long at = h.alloc(EfiTextProtocols.KEY_DATA_SIZE);
        h.guest.write(at, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) scan)
                .putShort((short) unicode).array());
        return at;
    }

    @Test
    void readKeyStrokeEx_givesTheKeyWithoutShiftState_andWaitForKeyExSignalsWhileOneWaits() throws Exception {
        long data = h.alloc(12);
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data));
        long waitForKeyEx = h.readU64(inputEx + 16);
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, waitForKeyEx));
        h.keys.add((int) 'x');
        h.keys.add((int) '\n');
        long events = h.u64(waitForKeyEx);
        long index = h.u64(9);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.WAIT_FOR_EVENT, 1, events, index));
        assertEquals(0, h.readU64(index));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data));
        assertArrayEquals(new byte[] {0, 0, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0}, h.guest.read(data, 12));
        long key = h.alloc(4);
        long input = h.systemTable().getLong(EfiTables.ST_CON_IN);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_READ_KEY_STROKE, input, key));
        assertEquals('\r', h.guest.read(key + 2, 1)[0], "Enter is a carriage return");
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, waitForKeyEx));
    }

    @Test
    void wildArguments_areRefusedWithoutTakingAKey() throws Exception {
        h.keys.add((int) 'q');
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx,
                EfiHarness.RAM - 4L));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx + 8,
                h.alloc(12)), "wrong This");
        long data = h.alloc(12);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data));
        assertEquals('q', h.guest.read(data + 2, 1)[0], "the key survived the refused calls");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_SET_STATE, inputEx, 0));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.INPUT_EX_SET_STATE, inputEx, h.u64(0x01)),
                "no EFI_TOGGLE_STATE_VALID");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_SET_STATE, inputEx, h.u64(0x80)));
        long out = h.u64(0);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_REGISTER_KEY_NOTIFY, inputEx, 0,
                0x500000, out));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_REGISTER_KEY_NOTIFY, inputEx,
                keyData(0, 'a'), 0, out));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_REGISTER_KEY_NOTIFY, inputEx,
                keyData(0, 'a'), EfiHarness.RAM + 0x1000L, out));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INPUT_EX_UNREGISTER_KEY_NOTIFY, inputEx,
                0x1234));
    }

    @Test
    void registerKeyNotify_runsTheFunctionWithTheKeyData_whenThatKeyIsRead_untilUnregistered() throws Exception {
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_REGISTER_KEY_NOTIFY, inputEx, keyData(0, 'c'),
                0x500000, out));
        long handle = h.readU64(out);
        h.keys.add((int) 'b');
        h.keys.add((int) 'c');
        long data = h.alloc(12);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data));
        assertEquals(List.of(), h.notified, "'b' is not the registered key");
        EfiEvents.Answer answer = h.serve(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data);
        EfiEvents.Answer.Notify notify = assertInstanceOf(EfiEvents.Answer.Notify.class, answer);
        assertEquals(0x500000, notify.function());
        assertArrayEquals(new byte[] {0, 0, 'c', 0}, h.guest.read(notify.rcx(), 4), "RCX is the EFI_KEY_DATA");
        assertEquals(EfiStatus.SUCCESS, ((EfiEvents.Answer.Done) h.serve(EfiService.NOTIFY_RETURNED)).result());
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_UNREGISTER_KEY_NOTIFY, inputEx, handle));
        h.keys.add((int) 'c');
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INPUT_EX_READ_KEY_STROKE_EX, inputEx, data));
        assertEquals(List.of(), h.notified, "unregistered");
    }
}
