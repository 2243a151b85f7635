package jgrub.efi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Events, timers and task priority levels (UEFI 2.10 section 7.1), as EDK2's DXE core has them
 * (MdeModulePkg/Core/Dxe/Event): notification functions are queued per TPL and run, highest TPL first and in queue
 * order within one TPL, whenever the TPL drops below theirs; each runs at its own TPL.
 *
 * <p>Notification functions are guest code, so they run in the guest: a service whose end leaves one runnable
 * answers the stub with {@link Answer.Notify} instead of its status. The stub's trampoline calls the function on the
 * caller's stack and rings again with NOTIFY_RETURNED ({@link EfiStubs}); Java then hands out the next one, and the
 * service's own answer ({@link Answer.Done}) comes last. A notification function may call services itself, and those
 * may run notification functions of a higher TPL: the calls in progress form a stack ({@link #inGuest}).
 *
 * <p>Time is the host's monotonic clock. Under TCG without {@code -icount}, QEMU runs the guest's clocks (its TSC, the
 * ACPI PM timer, the PIT) on the host's monotonic clock, so a timer set for 10 ms fires when the guest's own clocks
 * say 10 ms have passed; reading the guest's TSC instead would cost a round trip into the guest for the same number.
 * A firmware would take a timer interrupt; jgrub looks at its timers whenever the guest enters a service, which is
 * where the guest could first notice one had fired, and while WaitForEvent waits.
 */
final class EfiEvents {

    static final long TPL_APPLICATION = 4;
    static final long TPL_CALLBACK = 8;
    static final long TPL_NOTIFY = 16;
    static final long TPL_HIGH_LEVEL = 31;

    static final int EVT_TIMER = 0x80000000;
    static final int EVT_RUNTIME = 0x40000000;
    static final int EVT_NOTIFY_WAIT = 0x00000100;
    static final int EVT_NOTIFY_SIGNAL = 0x00000200;
    static final int EVT_SIGNAL_EXIT_BOOT_SERVICES = 0x00000201;
    static final int EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE = 0x60000202;

    /** The types CreateEvent accepts (EDK2's mEventTable); anything else is INVALID_PARAMETER. */
    private static final Set<Integer> TYPES = Set.of(EVT_TIMER | EVT_NOTIFY_SIGNAL, EVT_TIMER, EVT_NOTIFY_WAIT,
            EVT_NOTIFY_SIGNAL, EVT_SIGNAL_EXIT_BOOT_SERVICES, EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE, 0,
            EVT_TIMER | EVT_NOTIFY_WAIT);

    /** Event groups of section 7.1.2 that jgrub signals. */
    static final EfiGuid GROUP_EXIT_BOOT_SERVICES = EfiGuid.parse("27ABF055-B1B8-4C26-8048-748F37BAA2DF");
    static final EfiGuid GROUP_BEFORE_EXIT_BOOT_SERVICES = EfiGuid.parse("8BE0E274-3970-4B44-80C5-1AB9502F3BFC");
    static final EfiGuid GROUP_VIRTUAL_ADDRESS_CHANGE = EfiGuid.parse("13FA7698-C831-49C7-87EA-8F43FCC25196");

    /** TimerPeriodic with TriggerTime 0 ticks at the timer's own period, as in EDK2: OVMF's is 10 ms. */
    static final long DEFAULT_PERIOD_NANOS = 10_000_000L;
    /** Events open at once; a guest that creates more without closing any gets OUT_OF_RESOURCES. */
    static final int MAX_EVENTS = 4096;
    /** Longest wait WaitForEvent sleeps before it looks again (a key may come at any time). */
    static final long POLL_NANOS = 1_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    /** What the stub does after a ring: return {@code result}, or first call a notification function. */
    sealed interface Answer {
        record Done(long result) implements Answer {
        }

        /** Call {@code function(rcx, rdx)} (the event and its NotifyContext), then ring NOTIFY_RETURNED. */
        record Notify(long function, long rcx, long rdx) implements Answer {
        }
    }

    /** The rest of a call once no queued notification function can run: its answer, or empty to dispatch again. */
    interface Completion {
        OptionalLong complete() throws EfiException;
    }

    static final class Event {
        final long handle;
        final int type;
        final long notifyTpl;
        final long notifyFunction;
        final long notifyContext;
        final EfiGuid group;
        /** For jgrub's own events (the console's WaitForKey): signalled whenever this holds. */
        final BooleanSupplier condition;
        boolean signaled;
        boolean queued;
        long deadline = NEVER;
        long period;

        Event(long handle, int type, long notifyTpl, long notifyFunction, long notifyContext, EfiGuid group,
                BooleanSupplier condition) {
            this.handle = handle;
            this.type = type;
            this.notifyTpl = notifyTpl;
            this.notifyFunction = notifyFunction;
            this.notifyContext = notifyContext;
            this.group = group;
            this.condition = condition;
        }

        boolean is(int flag) {
            return (type & flag) != 0;
        }
    }

    /** A call whose answer waits for notification functions: those above {@code floor} run, then TPL is {@code tpl}. */
    private static final class Dispatch {
        final EfiService service;
        final long floor;
        final long tpl;
        final Completion completion;
        /** The service left its answer to a completion, so the trace's first line did not have it. */
        final boolean deferred;

        Dispatch(EfiService service, long floor, long tpl, Completion completion, boolean deferred) {
            this.service = service;
            this.floor = floor;
            this.tpl = tpl;
            this.completion = completion;
            this.deferred = deferred;
        }
    }

    private final EfiSystem efi;
    private LongSupplier clock = System::nanoTime;
    private long tpl = TPL_APPLICATION;
    /** In creation order: a group's notification functions are queued newest first, as EDK2's signal list has them. */
    private final Map<Long, Event> events = new LinkedHashMap<>();
    private final List<Event> queue = new ArrayList<>();
    private final ArrayDeque<Long> freeHandles = new ArrayDeque<>();
    /** Dispatches whose notification function is running in the guest, innermost first. */
    private final ArrayDeque<Dispatch> inGuest = new ArrayDeque<>();
    private Completion deferred;
    private long deferredFloor = -1;

    EfiEvents(EfiSystem efi) {
        this.efi = efi;
    }

    /** The clock timers run on, in nanoseconds (tests drive it by hand). */
    void clock(LongSupplier nanos) {
        this.clock = nanos;
    }

    long tpl() {
        return tpl;
    }

    long call(EfiCall c) throws EfiException {
        return switch (c.service()) {
            case RAISE_TPL -> raiseTpl(c.arg(0));
            case RESTORE_TPL -> restoreTpl(c.arg(0));
            case CREATE_EVENT -> createEvent(c, null, c.arg(4));
            case CREATE_EVENT_EX -> createEvent(c, c.arg(4), c.arg(5));
            case SET_TIMER -> setTimer(c.arg(0), c.arg(1), c.arg(2));
            case WAIT_FOR_EVENT -> waitForEvent(c);
            case SIGNAL_EVENT -> {
                signal(event(c.arg(0)));
                yield EfiStatus.SUCCESS;
            }
            case CLOSE_EVENT -> closeEvent(c.arg(0));
            case CHECK_EVENT -> checkEvent(c.arg(0));
            default -> throw new EfiException(EfiStatus.UNSUPPORTED, c.service().specName());
        };
    }

    /**
     * RaiseTPL (section 7.1): returns the previous TPL. Asking for a lower TPL or one above TPL_HIGH_LEVEL breaks the
     * specification's rules; EDK2 asserts, U-Boot warns: jgrub clamps to TPL_HIGH_LEVEL, does as asked and says so.
     */
    private long raiseTpl(long newTpl) {
        long old = tpl;
        if (Long.compareUnsigned(newTpl, TPL_HIGH_LEVEL) > 0) {
            efi.log("RaiseTPL(" + newTpl + ") above TPL_HIGH_LEVEL: TPL_HIGH_LEVEL");
            newTpl = TPL_HIGH_LEVEL;
        }
        if (newTpl < old) {
            efi.log("RaiseTPL(" + newTpl + ") below the current TPL " + old);
        }
        tpl = newTpl;
        return old;
    }

    /** RestoreTPL: the notification functions above the restored TPL run before it returns (section 7.1). */
    private long restoreTpl(long oldTpl) {
        if (Long.compareUnsigned(oldTpl, TPL_HIGH_LEVEL) > 0) {
            efi.log("RestoreTPL(" + oldTpl + ") above TPL_HIGH_LEVEL: TPL_HIGH_LEVEL");
            oldTpl = TPL_HIGH_LEVEL;
        }
        if (oldTpl > tpl) {
            efi.log("RestoreTPL(" + oldTpl + ") above the current TPL " + tpl);
        }
        tpl = oldTpl;
        return EfiStatus.SUCCESS;
    }

    /**
     * CreateEvent and CreateEventEx (sections 7.1.1, 7.1.2), checked as EDK2 checks them: a known type; a notify
     * type needs a notification function and TPL_CALLBACK or TPL_NOTIFY, the only defined TPLs (table 7-2) between
     * TPL_APPLICATION and TPL_HIGH_LEVEL (OVMF and U-Boot refuse the undefined ones too: EfiSelfTestTest); the two
     * signal-group types cannot be combined with a group, and are their groups when created without one.
     */
    private long createEvent(EfiCall c, Long groupPointer, long eventPointer) throws EfiException {
        GuestPointers m = c.memory();
        int type = (int) c.arg(0); // a UINT32: the upper half of RCX is not the caller's (Microsoft x64 ABI)
        long notifyTpl = c.arg(1);
        long function = c.arg(2);
        long context = c.arg(3);
        EfiBootServices.requireNonNull(eventPointer, "Event");
        if (!TYPES.contains(type)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "event type 0x" + Integer.toHexString(type));
        }
        EfiGuid group = null;
        if (groupPointer != null && groupPointer != 0) {
            if (type == EVT_SIGNAL_EXIT_BOOT_SERVICES || type == EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "type 0x" + Integer.toHexString(type)
                        + " with an event group");
            }
            group = m.readGuid(groupPointer);
        } else if (type == EVT_SIGNAL_EXIT_BOOT_SERVICES) {
            group = GROUP_EXIT_BOOT_SERVICES;
        } else if (type == EVT_SIGNAL_VIRTUAL_ADDRESS_CHANGE) {
            group = GROUP_VIRTUAL_ADDRESS_CHANGE;
        }
        if ((type & (EVT_NOTIFY_SIGNAL | EVT_NOTIFY_WAIT)) != 0) {
            if (notifyTpl != TPL_CALLBACK && notifyTpl != TPL_NOTIFY) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "NotifyTpl " + notifyTpl);
            }
            checkFunction(m, function);
        } else {
            notifyTpl = 0;
            function = 0;
            context = 0;
        }
        m.writeU64(eventPointer, 0); // a wild Event pointer is refused before the event exists
        long handle = newEvent(type, notifyTpl, function, context, group, null);
        m.writeU64(eventPointer, handle);
        return EfiStatus.SUCCESS;
    }

    /** A notification function must be code the guest can run: mapped RAM, not jgrub's stub or mailbox pages. */
    private void checkFunction(GuestPointers m, long function) throws EfiException {
        EfiBootServices.requireNonNull(function, "NotifyFunction");
        long physical = m.translate(function);
        if (!m.physical().isRam(physical, 1)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "NotifyFunction 0x" + Long.toHexString(function)
                    + " is not in RAM");
        }
        if (physical >= efi.stubCode && physical < efi.mailbox + EfiMemoryMap.PAGE) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "NotifyFunction 0x" + Long.toHexString(function)
                    + " is in jgrub's service stubs");
        }
    }

    private long newEvent(int type, long notifyTpl, long function, long context, EfiGuid group,
            BooleanSupplier condition) throws EfiException {
        if (events.size() >= MAX_EVENTS) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, MAX_EVENTS + " events are open");
        }
        Long free = freeHandles.poll();
        long handle = free != null ? free : efi.bootArena.allocate(16);
        events.put(handle, new Event(handle, type, notifyTpl, function, context, group, condition));
        return handle;
    }

    /**
     * A notify-signal event at TPL_CALLBACK whose function receives the event's own address as its argument: the
     * 16 bytes there are the caller's to fill (RegisterKeyNotify puts the EFI_KEY_DATA its function is called with).
     */
    long createCallback(GuestPointers m, long function) throws EfiException {
        checkFunction(m, function);
        return newEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, function, 0, null, null);
    }

    /** An event jgrub itself signals: signalled whenever {@code condition} holds (the console's WaitForKey). */
    long createInternal(BooleanSupplier condition) throws EfiException {
        return newEvent(0, 0, 0, 0, null, condition);
    }

    Event event(long handle) throws EfiException {
        Event event = events.get(handle);
        if (event == null) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "0x" + Long.toHexString(handle) + " is not an event");
        }
        return event;
    }

    long closeEvent(long handle) throws EfiException {
        Event event = event(handle);
        events.remove(handle);
        queue.remove(event);
        freeHandles.add(handle);
        return EfiStatus.SUCCESS;
    }

    /**
     * SignalEvent as EDK2's CoreSignalEvent: an event already signalled stays so; a notify-signal event queues its
     * function, and one in a group queues the functions of the whole group instead.
     */
    void signal(Event event) {
        if (event.signaled) {
            return;
        }
        event.signaled = true;
        if (event.is(EVT_NOTIFY_SIGNAL)) {
            if (event.group != null) {
                event.signaled = false;
                signalGroup(event.group);
            } else {
                enqueue(event);
            }
        }
    }

    /** Queues the notification function of every notify-signal event in {@code group}, newest first as EDK2. */
    void signalGroup(EfiGuid group) {
        List<Event> members = new ArrayList<>();
        for (Event e : events.values()) {
            if (e.is(EVT_NOTIFY_SIGNAL) && group.equals(e.group)) {
                members.add(0, e);
            }
        }
        members.forEach(this::enqueue);
    }

    private void enqueue(Event event) {
        queue.remove(event);
        queue.add(event);
        event.queued = true;
    }

    /** SetTimer (section 7.1.5): cancel, periodic or relative, in units of 100 ns; a new setting replaces the old. */
    private long setTimer(long handle, long type, long hundredsOfNanos) throws EfiException {
        Event event = event(handle);
        if (!event.is(EVT_TIMER) || Long.compareUnsigned(type, 2) > 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, event.is(EVT_TIMER) ? "timer type " + type
                    : "0x" + Long.toHexString(handle) + " is not a timer event");
        }
        event.deadline = NEVER;
        event.period = 0;
        if (type == 0) { // TimerCancel
            return EfiStatus.SUCCESS;
        }
        long nanos = Long.compareUnsigned(hundredsOfNanos, Long.MAX_VALUE / 100) > 0 ? Long.MAX_VALUE / 2
                : hundredsOfNanos * 100;
        if (type == 1) { // TimerPeriodic
            event.period = nanos == 0 ? DEFAULT_PERIOD_NANOS : nanos;
            nanos = event.period;
        }
        event.deadline = clock.getAsLong() + nanos;
        return EfiStatus.SUCCESS;
    }

    /** Signals every timer whose time has come; a periodic one is set again a period on (missed ticks coalesce). */
    void checkTimers() {
        long now = clock.getAsLong();
        for (Event e : events.values()) { // signal() queues; it never adds or removes events
            if (e.deadline != NEVER && now - e.deadline >= 0) {
                if (e.period > 0) {
                    e.deadline += e.period;
                    if (e.deadline - now <= 0) {
                        e.deadline = now + e.period;
                    }
                } else {
                    e.deadline = NEVER;
                }
                signal(e);
            }
        }
    }

    private boolean signaled(Event event) {
        return event.signaled || event.condition != null && event.condition.getAsBoolean();
    }

    /** Clears a signalled event and says so (CheckEvent's SUCCESS), else NOT_READY. */
    private long take(long handle) throws EfiException {
        Event event = event(handle);
        if (signaled(event)) {
            event.signaled = false;
            return EfiStatus.SUCCESS;
        }
        return EfiStatus.NOT_READY;
    }

    /**
     * CheckEvent (section 7.1.8) as EDK2's CoreCheckEvent: a notify-signal event is INVALID_PARAMETER; a notify-wait
     * event that is not signalled runs its notification function first, then is looked at again.
     */
    private long checkEvent(long handle) throws EfiException {
        Event event = event(handle);
        if (event.is(EVT_NOTIFY_SIGNAL)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "CheckEvent of a notify-signal event");
        }
        if (!signaled(event) && event.is(EVT_NOTIFY_WAIT)) {
            enqueue(event);
            defer(() -> OptionalLong.of(take(handle)));
            return EfiStatus.SUCCESS;
        }
        return take(handle);
    }

    /**
     * WaitForEvent (section 7.1.7): only at TPL_APPLICATION; answers with the index of the first signalled event
     * (cleared), or INVALID_PARAMETER and the index of a notify-signal one. Notify-wait events run their
     * notification functions between looks; between rounds jgrub sleeps until the next timer or a millisecond.
     */
    private long waitForEvent(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        long count = c.arg(0);
        long array = c.arg(1);
        long indexPointer = c.arg(2);
        if (count <= 0 || count > MAX_EVENTS) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "NumberOfEvents " + count);
        }
        EfiBootServices.requireNonNull(array, "Event");
        if (tpl != TPL_APPLICATION) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "WaitForEvent at TPL " + tpl + ", not TPL_APPLICATION");
        }
        long[] handles = new long[(int) count];
        for (int i = 0; i < count; i++) {
            handles[i] = m.readU64(array + 8L * i);
        }
        if (indexPointer != 0) {
            m.writeU64(indexPointer, m.readU64(indexPointer)); // a wild Index pointer is refused before waiting
        }
        boolean[] notifiedLastRound = {false};
        defer(() -> waitRound(m, handles, indexPointer, notifiedLastRound));
        return EfiStatus.SUCCESS;
    }

    /** One look at the events; notify-wait functions run every other round, so a wait sleeps between them. */
    private OptionalLong waitRound(GuestPointers m, long[] handles, long indexPointer, boolean[] notifiedLastRound)
            throws EfiException {
        checkTimers();
        for (int i = 0; i < handles.length; i++) {
            Event event = event(handles[i]);
            if (event.is(EVT_NOTIFY_SIGNAL)) {
                writeIndex(m, indexPointer, i);
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "WaitForEvent on a notify-signal event");
            }
            if (take(handles[i]) == EfiStatus.SUCCESS) {
                writeIndex(m, indexPointer, i);
                return OptionalLong.of(EfiStatus.SUCCESS);
            }
        }
        boolean notifying = false;
        for (long handle : handles) {
            Event event = event(handle);
            if (!notifiedLastRound[0] && event.is(EVT_NOTIFY_WAIT) && !event.queued) {
                enqueue(event);
                notifying = true;
            }
        }
        notifiedLastRound[0] = notifying;
        if (!notifying && !runnable(TPL_APPLICATION)) {
            sleepUntilNextTimer();
        }
        return OptionalLong.empty();
    }

    private static void writeIndex(GuestPointers m, long pointer, int index) throws EfiException {
        if (pointer != 0) {
            m.writeU64(pointer, index);
        }
    }

    private void sleepUntilNextTimer() throws EfiException {
        long now = clock.getAsLong();
        long wait = POLL_NANOS;
        for (Event e : events.values()) {
            if (e.deadline != NEVER) {
                wait = Math.max(0, Math.min(wait, e.deadline - now));
            }
        }
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EfiException(EfiStatus.ABORTED, "jgrub is stopping");
        }
    }

    /** The service being served answers through {@code completion}, after the guest has run what is runnable. */
    void defer(Completion completion) {
        this.deferred = completion;
        this.deferredFloor = -1;
    }

    /** As {@link #defer}, but every queued notification function runs whatever the TPL (SetVirtualAddressMap). */
    void deferRunningAll(Completion completion) {
        this.deferred = completion;
        this.deferredFloor = 0;
    }

    /**
     * What the stub does after a served call that returned {@code result}: with boot services up, fired timers are
     * signalled and the notification functions above the caller's TPL run first, as on a firmware whose timer
     * interrupt came in just then. Image entry and exit are answered at once.
     */
    Answer answer(EfiService service, long result) {
        Completion completion = deferred;
        long floor = deferredFloor;
        boolean wasDeferred = completion != null;
        deferred = null;
        if (completion == null) {
            if (efi.bootServicesExited || efi.ending != null || service.table() == EfiService.Table.NONE
                    || service == EfiService.START_IMAGE || service == EfiService.EXIT) {
                return new Answer.Done(result);
            }
            completion = () -> OptionalLong.of(result);
        }
        if (!efi.bootServicesExited) {
            checkTimers();
        }
        return step(new Dispatch(service, floor >= 0 ? floor : tpl, tpl, completion, wasDeferred));
    }

    /** The guest has run the notification function it was given: the next one, or the call's answer. */
    Answer notifyReturned() {
        Dispatch dispatch = inGuest.peek();
        if (dispatch == null) {
            efi.log("NOTIFY_RETURNED with no notification function running");
            return new Answer.Done(EfiStatus.INVALID_PARAMETER);
        }
        if (!efi.bootServicesExited) {
            checkTimers();
        }
        return step(dispatch);
    }

    private Answer step(Dispatch dispatch) {
        while (true) {
            Event next = nextRunnable(dispatch.floor);
            if (next != null) {
                queue.remove(next);
                next.queued = false;
                if (next.is(EVT_NOTIFY_SIGNAL)) {
                    next.signaled = false;
                }
                if (inGuest.peek() != dispatch) {
                    inGuest.push(dispatch);
                }
                tpl = next.notifyTpl;
                efi.log("notification function 0x" + Long.toHexString(next.notifyFunction) + " of event 0x"
                        + Long.toHexString(next.handle) + " runs at TPL " + next.notifyTpl);
                return new Answer.Notify(next.notifyFunction, next.handle, next.notifyContext);
            }
            tpl = dispatch.tpl;
            OptionalLong answer;
            String why;
            try {
                answer = dispatch.completion.complete();
                why = answer.isPresent() ? EfiStatus.name(answer.getAsLong()) : "";
            } catch (EfiException e) {
                answer = OptionalLong.of(e.status());
                why = e.getMessage();
            }
            if (answer.isPresent()) {
                if (inGuest.peek() == dispatch) {
                    inGuest.pop();
                }
                if (dispatch.deferred) {
                    efi.log(dispatch.service.specName() + " answers " + why);
                }
                return new Answer.Done(answer.getAsLong());
            }
        }
    }

    private boolean runnable(long floor) {
        return nextRunnable(floor) != null;
    }

    /** The first queued event of the highest TPL above {@code floor}, or null. */
    private Event nextRunnable(long floor) {
        Event best = null;
        for (Event e : queue) {
            if (e.notifyTpl > floor && (best == null || e.notifyTpl > best.notifyTpl)) {
                best = e;
            }
        }
        return best;
    }
}
