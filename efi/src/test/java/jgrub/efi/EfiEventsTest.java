package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Events, timers and TPLs (UEFI 2.10 section 7.1) driven as the stub drives them: a call's answer is either its
 * status or a notification function the guest must call first ({@link EfiEvents.Answer.Notify}), after which the
 * guest rings NOTIFY_RETURNED. The clock is a counter the test moves.
 */
class EfiEventsTest {

    static final long NOTIFY_A = 0x500000;
    static final long NOTIFY_B = 0x500100;
    static final long CALLBACK = EfiEvents.TPL_CALLBACK;
    static final long NOTIFY = EfiEvents.TPL_NOTIFY;

    private final EfiHarness h;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    EfiEventsTest() throws EfiException {
        h = new EfiHarness();
        h.efi.events.clock(now::get);
    }

    private long create(long type, long tpl, long function, long context) throws EfiException {
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CREATE_EVENT, type, tpl, function, context, out));
        return h.readU64(out);
    }

    private static EfiEvents.Answer.Notify notify(EfiEvents.Answer answer) {
        return assertInstanceOf(EfiEvents.Answer.Notify.class, answer);
    }

    private static long done(EfiEvents.Answer answer) {
        return assertInstanceOf(EfiEvents.Answer.Done.class, answer).result();
    }

    @ParameterizedTest(name = "type 0x{0}, TPL {1}, function 0x{2}")
    @CsvSource({
        "00000001, 8, 500000", // reserved type bits
        "00000300, 8, 500000", // notify-wait and notify-signal together
        "80000201, 8, 500000", // a timer in the ExitBootServices group
        "00000200, 8, 0", // a notify type without a function
        "00000200, 4, 500000", // TPL_APPLICATION
        "00000200, 31, 500000", // TPL_HIGH_LEVEL
        "00000200, 5, 500000", // between the defined TPLs
        "00000200, 17, 500000",
        "00000200, 8, 7000000", // function outside the 64 MiB of RAM
        "00000200, 8, ffffffffffff0000"})
    void createEvent_refusesWhatEdk2Refuses(String type, long tpl, String function) throws Exception {
        long out = h.u64(0x1234);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT, Long.parseUnsignedLong(type, 16),
                tpl, Long.parseUnsignedLong(function, 16), 0, out));
        assertEquals(0x1234, h.readU64(out), "nothing written on failure");
    }

    @Test
    void createEvent_refusesFunctionsInJgrubsStubs_wildEventPointers_andGroupsOnSignalTypes() throws Exception {
        long out = h.u64(0);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT, 0x200, 8,
                h.efi.stubCode() + 0x100, 0, out));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT, 0x200, 8, NOTIFY_A, 0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT, 0x200, 8, NOTIFY_A, 0,
                EfiHarness.RAM + 0x1000L));
        long group = h.guid(EfiEvents.GROUP_EXIT_BOOT_SERVICES);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT_EX,
                EfiEvents.EVT_SIGNAL_EXIT_BOOT_SERVICES, 8, NOTIFY_A, 0, group, out));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CREATE_EVENT_EX, 0x200, 8, NOTIFY_A, 0,
                EfiHarness.RAM + 0x1000L, out), "a wild EventGroup pointer");
    }

    @Test
    void signalEvent_runsTheNotificationFunctionInTheGuest_atItsTpl_beforeTheCallReturns() throws Exception {
        long event = create(EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 0x77);
        EfiEvents.Answer.Notify call = notify(h.serve(EfiService.SIGNAL_EVENT, event));
        assertEquals(new EfiEvents.Answer.Notify(NOTIFY_A, event, 0x77), call);
        assertEquals(CALLBACK, h.efi.events.tpl(), "the function runs at its own TPL");
        // Inside the function: WaitForEvent is only for TPL_APPLICATION, CheckEvent of a notify-signal event is wrong.
        long events = h.u64(event);
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.WAIT_FOR_EVENT, 1, events, h.u64(0)));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CHECK_EVENT, event));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
        assertEquals(EfiEvents.TPL_APPLICATION, h.efi.events.tpl());
        assertEquals(EfiStatus.INVALID_PARAMETER, done(h.serve(EfiService.NOTIFY_RETURNED)),
                "a NOTIFY_RETURNED with nothing running");
    }

    @Test
    void raisedTpl_holdsNotificationsBack_untilRestoreTpl_thenHighestTplFirst() throws Exception {
        long low = create(EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 1);
        long high = create(EfiEvents.EVT_NOTIFY_SIGNAL, NOTIFY, NOTIFY_B, 2);
        assertEquals(EfiEvents.TPL_APPLICATION, done(h.serve(EfiService.RAISE_TPL, NOTIFY)));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.SIGNAL_EVENT, low)));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.SIGNAL_EVENT, high)));
        assertEquals(NOTIFY, done(h.serve(EfiService.RAISE_TPL, NOTIFY)), "nothing runs at TPL_NOTIFY");
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.RESTORE_TPL, NOTIFY)));
        assertEquals(NOTIFY_B, notify(h.serve(EfiService.RESTORE_TPL, CALLBACK)).function(),
                "above TPL_CALLBACK only the TPL_NOTIFY function runs");
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
        assertEquals(CALLBACK, h.efi.events.tpl());
        assertEquals(NOTIFY_A, notify(h.serve(EfiService.RESTORE_TPL, EfiEvents.TPL_APPLICATION)).function());
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
        assertEquals(EfiEvents.TPL_APPLICATION, h.efi.events.tpl());
    }

    @Test
    void aNotificationFunction_canSignalAnother_ofHigherTpl_whichRunsNestedFirst() throws Exception {
        long outer = create(EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 1);
        long inner = create(EfiEvents.EVT_NOTIFY_SIGNAL, NOTIFY, NOTIFY_B, 2);
        assertEquals(NOTIFY_A, notify(h.serve(EfiService.SIGNAL_EVENT, outer)).function());
        // NOTIFY_A calls SignalEvent(inner): the nested call runs NOTIFY_B before it returns to NOTIFY_A.
        assertEquals(NOTIFY_B, notify(h.serve(EfiService.SIGNAL_EVENT, inner)).function());
        assertEquals(NOTIFY, h.efi.events.tpl());
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)), "the nested SignalEvent");
        assertEquals(CALLBACK, h.efi.events.tpl(), "back in NOTIFY_A");
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)), "the outer SignalEvent");
        assertEquals(EfiEvents.TPL_APPLICATION, h.efi.events.tpl());
    }

    @Test
    void exitBootServices_runsItsGroupsFunctions_thenExits_andAStaleKeyRunsNone() throws Exception {
        long ipxe = create(EfiEvents.EVT_SIGNAL_EXIT_BOOT_SERVICES, CALLBACK, NOTIFY_A, 0x10);
        long group = h.guid(EfiEvents.GROUP_EXIT_BOOT_SERVICES);
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CREATE_EVENT_EX, EfiEvents.EVT_NOTIFY_SIGNAL, NOTIFY,
                NOTIFY_B, 0x20, group, out));
        long ex = h.readU64(out);
        long key = h.efi.memoryMap().mapKey();
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.EXIT_BOOT_SERVICES, h.image, key + 1));
        assertEquals(List.of(), h.notified, "a stale key signals nothing");
        assertFalse(h.efi.bootServicesExited());

        assertEquals(new EfiEvents.Answer.Notify(NOTIFY_B, ex, 0x20),
                notify(h.serve(EfiService.EXIT_BOOT_SERVICES, h.image, key)));
        assertFalse(h.efi.bootServicesExited(), "boot services stay while the functions run");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.STALL, 1), "a function may still call them");
        assertEquals(new EfiEvents.Answer.Notify(NOTIFY_A, ipxe, 0x10), notify(h.serve(EfiService.NOTIFY_RETURNED)));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
        assertTrue(h.efi.bootServicesExited());
    }

    @Test
    void timers_relativePeriodicAndCancel_followTheClock() throws Exception {
        long tick = create(EfiEvents.EVT_TIMER | EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 0);
        long once = create(EfiEvents.EVT_TIMER, 0, 0, 0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_TIMER, tick, 1, 100_000)); // every 10 ms
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_TIMER, once, 2, 250_000)); // once, in 25 ms
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, once));
        assertEquals(List.of(), h.notified);
        now.addAndGet(10_000_000L);
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, once));
        assertEquals(1, h.notified.size(), "the tick ran once, at the first call after 10 ms");
        now.addAndGet(15_000_000L);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CHECK_EVENT, once));
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, once), "CheckEvent clears it");
        assertEquals(2, h.notified.size());
        now.addAndGet(1_000_000_000L);
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, once), "a relative timer fires once");
        assertEquals(3, h.notified.size(), "missed ticks coalesce");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_TIMER, tick, 0, 0));
        now.addAndGet(1_000_000_000L);
        h.call(EfiService.CHECK_EVENT, once);
        assertEquals(3, h.notified.size(), "cancelled");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.SET_TIMER, tick, 3, 0));
        long plain = create(0, 0, 0, 0);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.SET_TIMER, plain, 2, 0), "not a timer");
    }

    @Test
    void checkEvent_ofANotifyWaitEvent_runsItsFunction_whichMaySignalIt() throws Exception {
        long event = create(EfiEvents.EVT_NOTIFY_WAIT, CALLBACK, NOTIFY_A, 5);
        assertEquals(NOTIFY_A, notify(h.serve(EfiService.CHECK_EVENT, event)).function());
        assertEquals(EfiStatus.NOT_READY, done(h.serve(EfiService.NOTIFY_RETURNED)));
        assertEquals(NOTIFY_A, notify(h.serve(EfiService.CHECK_EVENT, event)).function());
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.SIGNAL_EVENT, event)), "the function signals it");
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
    }

    @Test
    void waitForEvent_answersTheIndex_refusesNotifySignalEvents_andWildArrays() throws Exception {
        long timer = create(EfiEvents.EVT_TIMER, 0, 0, 0);
        long signal = create(EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 0);
        long plain = create(0, 0, 0, 0);
        long index = h.u64(99);
        long array = h.alloc(16);
        h.guest.writeU64(array, plain);
        h.guest.writeU64(array + 8, timer);
        h.call(EfiService.SET_TIMER, timer, 2, 0);
        now.addAndGet(1);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.WAIT_FOR_EVENT, 2, array, index));
        assertEquals(1, h.readU64(index));
        h.guest.writeU64(array + 8, signal);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.WAIT_FOR_EVENT, 2, array, index));
        assertEquals(1, h.readU64(index), "the index of the notify-signal event");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.WAIT_FOR_EVENT, 0, array, index));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.WAIT_FOR_EVENT, 1L << 40, array, index));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.WAIT_FOR_EVENT, 1, EfiHarness.RAM - 4, index));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.WAIT_FOR_EVENT, 1, array,
                EfiHarness.RAM + 8L));
    }

    @Test
    void closeEvent_dropsItsQueuedFunction_andTheHandleIsGone() throws Exception {
        long event = create(EfiEvents.EVT_NOTIFY_SIGNAL, CALLBACK, NOTIFY_A, 0);
        assertEquals(EfiEvents.TPL_APPLICATION, done(h.serve(EfiService.RAISE_TPL, CALLBACK)));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.SIGNAL_EVENT, event)));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CLOSE_EVENT, event));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.RESTORE_TPL, EfiEvents.TPL_APPLICATION)),
                "nothing left to run");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.SIGNAL_EVENT, event));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CLOSE_EVENT, event));
    }

    @Test
    void manyEvents_createdAndClosed_reuseHandles_andTooManyOpenAreOutOfResources() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            long event = create(EfiEvents.EVT_TIMER, 0, 0, 0);
            assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CLOSE_EVENT, event));
        }
        long out = h.u64(0);
        long status = EfiStatus.SUCCESS;
        for (int i = 0; i < EfiEvents.MAX_EVENTS + 1 && status == EfiStatus.SUCCESS; i++) {
            status = h.call(EfiService.CREATE_EVENT, EfiEvents.EVT_TIMER, 0, 0, 0, out);
        }
        assertEquals(EfiStatus.OUT_OF_RESOURCES, status);
    }

    @Test
    void setVirtualAddressMap_runsTheVirtualAddressChangeFunctions_afterExitBootServices() throws Exception {
        long change = create(EfiEvents.EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE, NOTIFY, NOTIFY_B, 0x33);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT_BOOT_SERVICES, h.image,
                h.efi.memoryMap().mapKey()));
        assertEquals(List.of(), h.notified, "not at ExitBootServices");
        int size = EfiMemoryMap.DESCRIPTOR_SIZE;
        long map = h.alloc(size);
        java.nio.ByteBuffer d = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        d.putInt(0, EfiMemoryType.RUNTIME_SERVICES_CODE.code()).putLong(8, h.efi.stubCode())
                .putLong(16, h.efi.stubCode() + 0xffff800000000000L).putLong(24, 2);
        h.guest.write(map, d.array());
        assertEquals(new EfiEvents.Answer.Notify(NOTIFY_B, change, 0x33), notify(h.serve(
                EfiService.SET_VIRTUAL_ADDRESS_MAP, size, size, EfiMemoryMap.DESCRIPTOR_VERSION, map)));
        assertEquals(EfiStatus.SUCCESS, done(h.serve(EfiService.NOTIFY_RETURNED)));
    }
}
