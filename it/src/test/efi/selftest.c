/*
 * jgrub's EFI self-test, in the manner of U-Boot's lib/efi_selftest: one EFI application that calls the boot and
 * runtime services and the protocols jgrub offers, with valid arguments and with bad ones whose answer the UEFI 2.10
 * specification fixes, and prints one verdict line per case on ConOut:
 *
 *     selftest: <case>: <status name, or a value>
 *
 * then "selftest: done N cases", and shuts the machine down (ResetSystem), so that a run under jgrub and one under
 * OVMF both end. EfiSelfTestTest builds it with gnu-efi and compares the two runs' verdicts.
 *
 * Every pointer passed here points into this image or into memory a service returned: no wild pointers, so that the
 * same binary runs on real firmware. An "invalid handle" or "invalid event" is a zeroed buffer in this image, which
 * no firmware can mistake for one of its own.
 *
 * Build (as gnu-efi's Make.defaults does): gcc -fpic -ffreestanding -fshort-wchar -mno-red-zone
 * -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI, ld -shared -Bsymbolic with crt0-efi-x86_64.o and
 * elf_x86_64_efi.lds, objcopy --target efi-app-x86_64.
 */
#include <efi.h>
#include <efilib.h>

static EFI_SYSTEM_TABLE *st;
static EFI_BOOT_SERVICES *bs;
static EFI_RUNTIME_SERVICES *rs;
static EFI_HANDLE self;
static UINTN cases;

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID loaded_image_dp_guid = EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID device_path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;
static EFI_GUID fs_info_guid = EFI_FILE_SYSTEM_INFO_ID;
static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;
static EFI_GUID rng_raw_guid = EFI_RNG_ALGORITHM_RAW;
static EFI_GUID dp_to_text_guid = EFI_DEVICE_PATH_TO_TEXT_PROTOCOL_GUID;
static EFI_GUID block_io_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static EFI_GUID disk_io_guid = EFI_DISK_IO_PROTOCOL_GUID;
static EFI_GUID volume_label_guid = EFI_FILE_SYSTEM_VOLUME_LABEL_ID;
/* GUIDs no firmware has: the self-test's own protocols, variable vendor and event group. */
static EFI_GUID unknown_guid = {0x6a7c1d2e, 0x4b3f, 0x4e21, {0x9a, 0x10, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3}};
static EFI_GUID test_guid_a = {0x6a7c1d2e, 0x4b3f, 0x4e21, {0x9a, 0x10, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa4}};
static EFI_GUID test_guid_b = {0x6a7c1d2e, 0x4b3f, 0x4e21, {0x9a, 0x10, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa5}};
static EFI_GUID vendor_guid = {0x6a7c1d2e, 0x4b3f, 0x4e21, {0x9a, 0x10, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa6}};
static EFI_GUID group_guid = {0x6a7c1d2e, 0x4b3f, 0x4e21, {0x9a, 0x10, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa7}};

/* Neither a handle nor an event of any firmware: zeroes in this image. */
static UINT64 bogus[16];
static UINT64 interface_a[2], interface_b[2];

/* ---- output ---- */

static const char *status_name(EFI_STATUS s) {
    switch (s) {
    case EFI_SUCCESS: return "EFI_SUCCESS";
    case EFI_LOAD_ERROR: return "EFI_LOAD_ERROR";
    case EFI_INVALID_PARAMETER: return "EFI_INVALID_PARAMETER";
    case EFI_UNSUPPORTED: return "EFI_UNSUPPORTED";
    case EFI_BAD_BUFFER_SIZE: return "EFI_BAD_BUFFER_SIZE";
    case EFI_BUFFER_TOO_SMALL: return "EFI_BUFFER_TOO_SMALL";
    case EFI_NOT_READY: return "EFI_NOT_READY";
    case EFI_DEVICE_ERROR: return "EFI_DEVICE_ERROR";
    case EFI_WRITE_PROTECTED: return "EFI_WRITE_PROTECTED";
    case EFI_OUT_OF_RESOURCES: return "EFI_OUT_OF_RESOURCES";
    case EFI_NOT_FOUND: return "EFI_NOT_FOUND";
    case EFI_ACCESS_DENIED: return "EFI_ACCESS_DENIED";
    case EFI_ALREADY_STARTED: return "EFI_ALREADY_STARTED";
    case EFI_ABORTED: return "EFI_ABORTED";
    case EFI_SECURITY_VIOLATION: return "EFI_SECURITY_VIOLATION";
    case EFI_MEDIA_CHANGED: return "EFI_MEDIA_CHANGED";
    case EFI_NO_MEDIA: return "EFI_NO_MEDIA";
    case EFI_VOLUME_CORRUPTED: return "EFI_VOLUME_CORRUPTED";
    default: return 0;
    }
}

static void out(const CHAR16 *text) {
    uefi_call_wrapper(st->ConOut->OutputString, 2, st->ConOut, (CHAR16 *) text);
}

static UINTN append(CHAR16 *line, UINTN at, const char *text) {
    while (*text && at < 250) {
        line[at++] = (CHAR16) *text++;
    }
    return at;
}

/* "selftest: <name>: <verdict>" */
static void verdict(const char *name, const char *text) {
    CHAR16 line[256];
    UINTN at = append(line, 0, "selftest: ");
    at = append(line, at, name);
    at = append(line, at, ": ");
    at = append(line, at, text);
    at = append(line, at, "\r\n");
    line[at] = 0;
    out(line);
    cases++;
}

/* "selftest: <name>: 0x<value in hex>" */
static void value(const char *name, UINT64 v) {
    char digits[19] = "0x";
    int n = 0;
    UINT64 rest = v;
    do { n++; rest >>= 4; } while (rest);
    for (int i = 0; i < n; i++) {
        digits[2 + n - 1 - i] = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    }
    digits[2 + n] = 0;
    verdict(name, digits);
}

static void status(const char *name, EFI_STATUS s) {
    const char *known = status_name(s);
    if (known) {
        verdict(name, known);
    } else {
        value(name, s);
    }
}

/* The status, or "wrong result" when the call succeeded but what it returned is not what the case expects. */
static void check(const char *name, EFI_STATUS s, BOOLEAN right) {
    if (s == EFI_SUCCESS && !right) {
        verdict(name, "wrong result");
    } else {
        status(name, s);
    }
}

static BOOLEAN same(const void *a, const void *b, UINTN n) {
    const UINT8 *x = a, *y = b;
    for (UINTN i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return FALSE;
        }
    }
    return TRUE;
}

static UINTN str_len(const CHAR16 *s) {
    UINTN n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

#define BS(f, n, ...) uefi_call_wrapper(bs->f, n, __VA_ARGS__)
#define RS(f, n, ...) uefi_call_wrapper(rs->f, n, __VA_ARGS__)

/* ---- memory (UEFI 2.10 section 7.2) ---- */

static void memory(void) {
    EFI_PHYSICAL_ADDRESS page = 0;
    status("allocate-pages", BS(AllocatePages, 4, AllocateAnyPages, EfiLoaderData, 1, &page));
    status("free-pages", BS(FreePages, 2, page, 1));
    /* 7.2 FreePages: EFI_NOT_FOUND "The requested memory pages were not allocated with AllocatePages()". */
    status("free-pages-twice", BS(FreePages, 2, page, 1));
    /* 7.2 FreePages: EFI_INVALID_PARAMETER "Memory is not a page-aligned address". */
    status("free-pages-unaligned", BS(FreePages, 2, page + 1, 1));
    EFI_PHYSICAL_ADDRESS any = 0;
    status("allocate-pages-bad-type", BS(AllocatePages, 4, MaxAllocateType, EfiLoaderData, 1, &any));
    status("allocate-pages-conventional", BS(AllocatePages, 4, AllocateAnyPages, EfiConventionalMemory, 1, &any));
    status("allocate-pages-reserved-type-range", BS(AllocatePages, 4, AllocateAnyPages, 0x6FFFFFFF, 1, &any));
    status("allocate-pages-null", BS(AllocatePages, 4, AllocateAnyPages, EfiLoaderData, 1, NULL));
    status("allocate-pages-too-many", BS(AllocatePages, 4, AllocateAnyPages, EfiLoaderData, 0x7FFFFFFFFFFULL, &any));
    EFI_PHYSICAL_ADDRESS below = 0xFFFFF;
    status("allocate-pages-max-address-below-1m",
            BS(AllocatePages, 4, AllocateMaxAddress, EfiLoaderData, 0x200, &below));

    void *pool = NULL;
    status("allocate-pool", BS(AllocatePool, 3, EfiLoaderData, 100, &pool));
    status("free-pool", BS(FreePool, 1, pool));
    /* 7.2 FreePool: EFI_INVALID_PARAMETER "Buffer was invalid"; EDK2 and U-Boot answer so for NULL. */
    status("free-pool-null", BS(FreePool, 1, NULL));
    status("allocate-pool-null", BS(AllocatePool, 3, EfiLoaderData, 100, NULL));
    status("allocate-pool-conventional", BS(AllocatePool, 3, EfiConventionalMemory, 100, &pool));
    status("allocate-pool-too-big", BS(AllocatePool, 3, EfiLoaderData, 0x7FFFFFFFFFF000ULL, &pool));

    UINTN size = 0, key = 0, dsize = 0;
    UINT32 version = 0;
    EFI_STATUS s = BS(GetMemoryMap, 5, &size, NULL, &key, &dsize, &version);
    check("get-memory-map-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size > 0);
    status("get-memory-map-null-size", BS(GetMemoryMap, 5, NULL, NULL, &key, &dsize, &version));
    size += 8 * dsize;
    UINTN big = size;
    status("get-memory-map-null-map", BS(GetMemoryMap, 5, &big, NULL, &key, &dsize, &version));
    EFI_MEMORY_DESCRIPTOR *map = NULL;
    status("get-memory-map-pool", BS(AllocatePool, 3, EfiLoaderData, size, (void **) &map));
    if (map) {
        s = BS(GetMemoryMap, 5, &size, map, &key, &dsize, &version);
        check("get-memory-map", s, dsize >= sizeof(EFI_MEMORY_DESCRIPTOR) && version == 1 && size % dsize == 0);
        BS(FreePool, 1, map);
    }
}

/* ---- events, timers, TPL (section 7.1) ---- */

static void EFIAPI count_notify(EFI_EVENT event, void *context) {
    (void) event;
    (*(UINTN *) context)++;
}

static void EFIAPI signal_self(EFI_EVENT event, void *context) {
    (*(UINTN *) context)++;
    uefi_call_wrapper(bs->SignalEvent, 1, event);
}

static void events(void) {
    EFI_EVENT e = NULL, t = NULL;
    UINTN counter = 0, index = 99;

    status("create-event", BS(CreateEvent, 5, 0, 0, NULL, NULL, &e));
    status("create-event-null", BS(CreateEvent, 5, 0, 0, NULL, NULL, NULL));
    EFI_EVENT bad = NULL;
    status("create-event-notify-null-function", BS(CreateEvent, 5, EVT_NOTIFY_SIGNAL, TPL_CALLBACK, NULL, NULL, &bad));
    status("create-event-signal-and-wait",
            BS(CreateEvent, 5, EVT_NOTIFY_SIGNAL | EVT_NOTIFY_WAIT, TPL_CALLBACK, count_notify, &counter, &bad));
    status("create-event-bad-tpl", BS(CreateEvent, 5, EVT_NOTIFY_SIGNAL, 5, count_notify, &counter, &bad));
    status("create-event-bad-type", BS(CreateEvent, 5, 0x00000001, 0, NULL, NULL, &bad));
    status("check-event-plain-unsignaled", BS(CheckEvent, 1, e));
    status("signal-event", BS(SignalEvent, 1, e));
    status("check-event-plain-signaled", BS(CheckEvent, 1, e));
    status("check-event-plain-cleared", BS(CheckEvent, 1, e));
    status("set-timer-not-a-timer", BS(SetTimer, 3, e, TimerRelative, 1000));
    status("close-event", BS(CloseEvent, 1, e));

    status("create-event-timer", BS(CreateEvent, 5, EVT_TIMER, 0, NULL, NULL, &t));
    status("set-timer-bad-type", BS(SetTimer, 3, t, 7, 1000));
    status("set-timer-relative-1s", BS(SetTimer, 3, t, TimerRelative, 10000000));
    status("check-event-timer-pending", BS(CheckEvent, 1, t));
    status("set-timer-cancel", BS(SetTimer, 3, t, TimerCancel, 0));
    status("set-timer-relative-10ms", BS(SetTimer, 3, t, TimerRelative, 100000));
    EFI_STATUS s = BS(WaitForEvent, 3, 1, &t, &index);
    check("wait-for-event-timer", s, index == 0);
    status("check-event-after-wait", BS(CheckEvent, 1, t));
    status("wait-for-event-zero-events", BS(WaitForEvent, 3, 0, &t, &index));
    EFI_TPL old = BS(RaiseTPL, 1, TPL_CALLBACK);
    value("raise-tpl-returns-application", old);
    status("wait-for-event-at-callback", BS(WaitForEvent, 3, 1, &t, &index));
    BS(RestoreTPL, 1, old);
    status("close-event-timer", BS(CloseEvent, 1, t));

    EFI_EVENT n = NULL;
    counter = 0;
    status("create-event-notify-signal", BS(CreateEvent, 5, EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &counter, &n));
    status("check-event-notify-signal", BS(CheckEvent, 1, n));
    s = BS(SignalEvent, 1, n);
    check("signal-event-runs-notify", s, counter == 1);
    index = 99;
    s = BS(WaitForEvent, 3, 1, &n, &index);
    check("wait-for-event-notify-signal", s, TRUE);
    value("wait-for-event-notify-signal-index", index);
    counter = 0;
    old = BS(RaiseTPL, 1, TPL_NOTIFY);
    BS(SignalEvent, 1, n);
    UINTN while_raised = counter;
    BS(RestoreTPL, 1, old);
    value("notify-deferred-while-raised", while_raised);
    value("notify-runs-at-restore", counter);
    status("close-event-notify-signal", BS(CloseEvent, 1, n));

    EFI_EVENT w = NULL;
    counter = 0;
    status("create-event-notify-wait", BS(CreateEvent, 5, EVT_NOTIFY_WAIT, TPL_CALLBACK, signal_self, &counter, &w));
    s = BS(CheckEvent, 1, w);
    check("check-event-notify-wait", s, counter >= 1);
    status("close-event-notify-wait", BS(CloseEvent, 1, w));

    EFI_EVENT g1 = NULL, g2 = NULL;
    counter = 0;
    status("create-event-ex-group", BS(CreateEventEx, 6, EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &counter,
            &group_guid, &g1));
    BS(CreateEventEx, 6, EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify, &counter, &group_guid, &g2);
    BS(SignalEvent, 1, g1);
    value("signal-event-group-notifies", counter);
    BS(CloseEvent, 1, g1);
    BS(CloseEvent, 1, g2);

    EFI_EVENT p = NULL;
    counter = 0;
    status("create-event-periodic", BS(CreateEvent, 5, EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, count_notify,
            &counter, &p));
    status("set-timer-periodic-1ms", BS(SetTimer, 3, p, TimerPeriodic, 10000));
    for (int i = 0; i < 500 && counter < 2; i++) {
        BS(Stall, 1, 1000);
    }
    verdict("periodic-timer-ticks", counter >= 2 ? "yes" : "no");
    status("close-event-periodic", BS(CloseEvent, 1, p));
}

/* ---- handles and protocols (section 7.3) ---- */

static void protocols(void) {
    UINTN count = 0;
    EFI_HANDLE *handles = NULL;
    EFI_STATUS s = BS(LocateHandleBuffer, 5, ByProtocol, &loaded_image_guid, NULL, &count, &handles);
    check("locate-handle-buffer", s, count >= 1 && handles != NULL);
    if (s == EFI_SUCCESS) {
        BS(FreePool, 1, handles);
    }
    status("locate-handle-buffer-unknown", BS(LocateHandleBuffer, 5, ByProtocol, &unknown_guid, NULL, &count,
            &handles));
    status("locate-handle-buffer-null-protocol", BS(LocateHandleBuffer, 5, ByProtocol, NULL, NULL, &count, &handles));
    status("locate-handle-buffer-bad-search", BS(LocateHandleBuffer, 5, 7, NULL, NULL, &count, &handles));
    status("locate-handle-buffer-null-count", BS(LocateHandleBuffer, 5, AllHandles, NULL, NULL, NULL, &handles));
    status("locate-handle-buffer-null-buffer", BS(LocateHandleBuffer, 5, AllHandles, NULL, NULL, &count, NULL));
    UINTN size = 0;
    s = BS(LocateHandle, 5, ByProtocol, &loaded_image_guid, NULL, &size, NULL);
    check("locate-handle-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size >= sizeof(EFI_HANDLE));
    size = 0;
    status("locate-handle-unknown", BS(LocateHandle, 5, ByProtocol, &unknown_guid, NULL, &size, NULL));
    status("locate-handle-null-size", BS(LocateHandle, 5, AllHandles, NULL, NULL, NULL, NULL));

    void *iface = NULL;
    status("handle-protocol", BS(HandleProtocol, 3, self, &loaded_image_guid, &iface));
    status("handle-protocol-unknown", BS(HandleProtocol, 3, self, &unknown_guid, &iface));
    status("handle-protocol-null-handle", BS(HandleProtocol, 3, NULL, &loaded_image_guid, &iface));
    status("handle-protocol-bogus-handle", BS(HandleProtocol, 3, (EFI_HANDLE) bogus, &loaded_image_guid, &iface));
    status("handle-protocol-null-guid", BS(HandleProtocol, 3, self, NULL, &iface));
    status("handle-protocol-null-interface", BS(HandleProtocol, 3, self, &loaded_image_guid, NULL));

    status("open-protocol-get", BS(OpenProtocol, 6, self, &loaded_image_guid, &iface, self, NULL,
            EFI_OPEN_PROTOCOL_GET_PROTOCOL));
    status("open-protocol-test-null-interface", BS(OpenProtocol, 6, self, &loaded_image_guid, NULL, self, NULL,
            EFI_OPEN_PROTOCOL_TEST_PROTOCOL));
    status("open-protocol-by-handle", BS(OpenProtocol, 6, self, &loaded_image_guid, &iface, self, NULL,
            EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL));
    status("open-protocol-attributes-0", BS(OpenProtocol, 6, self, &loaded_image_guid, &iface, self, NULL, 0));
    status("open-protocol-unknown", BS(OpenProtocol, 6, self, &unknown_guid, &iface, self, NULL,
            EFI_OPEN_PROTOCOL_GET_PROTOCOL));
    status("open-protocol-null-interface", BS(OpenProtocol, 6, self, &loaded_image_guid, NULL, self, NULL,
            EFI_OPEN_PROTOCOL_GET_PROTOCOL));
    status("open-protocol-bogus-handle", BS(OpenProtocol, 6, (EFI_HANDLE) bogus, &loaded_image_guid, &iface, self,
            NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL));
    status("close-protocol", BS(CloseProtocol, 4, self, &loaded_image_guid, self, NULL));
    status("close-protocol-not-open", BS(CloseProtocol, 4, self, &loaded_image_guid, self, NULL));
    status("close-protocol-unknown", BS(CloseProtocol, 4, self, &unknown_guid, self, NULL));
    status("close-protocol-bogus-agent", BS(CloseProtocol, 4, self, &loaded_image_guid, (EFI_HANDLE) bogus, NULL));

    EFI_GUID **guids = NULL;
    count = 0;
    s = BS(ProtocolsPerHandle, 3, self, &guids, &count);
    check("protocols-per-handle", s, count >= 1);
    if (s == EFI_SUCCESS) {
        BS(FreePool, 1, guids);
    }
    status("protocols-per-handle-null-buffer", BS(ProtocolsPerHandle, 3, self, NULL, &count));
    status("protocols-per-handle-bogus-handle", BS(ProtocolsPerHandle, 3, (EFI_HANDLE) bogus, &guids, &count));

    s = BS(LocateProtocol, 3, &dp_to_text_guid, NULL, &iface);
    status("locate-protocol", s);
    status("locate-protocol-unknown", BS(LocateProtocol, 3, &unknown_guid, NULL, &iface));
    status("locate-protocol-null-guid", BS(LocateProtocol, 3, NULL, NULL, &iface));
    status("locate-protocol-null-interface", BS(LocateProtocol, 3, &loaded_image_guid, NULL, NULL));

    EFI_HANDLE h = NULL;
    status("install-protocol-interface", BS(InstallProtocolInterface, 4, &h, &test_guid_a, EFI_NATIVE_INTERFACE,
            interface_a));
    iface = NULL;
    s = BS(HandleProtocol, 3, h, &test_guid_a, &iface);
    check("handle-protocol-installed", s, iface == interface_a);
    /* 7.3 InstallProtocolInterface: EFI_INVALID_PARAMETER "Protocol is already installed on the handle". */
    status("install-protocol-interface-again", BS(InstallProtocolInterface, 4, &h, &test_guid_a,
            EFI_NATIVE_INTERFACE, interface_b));
    EFI_HANDLE h2 = NULL;
    status("install-protocol-interface-null-handle", BS(InstallProtocolInterface, 4, NULL, &test_guid_a,
            EFI_NATIVE_INTERFACE, interface_a));
    status("install-protocol-interface-null-guid", BS(InstallProtocolInterface, 4, &h2, NULL,
            EFI_NATIVE_INTERFACE, interface_a));
    status("install-protocol-interface-bad-type", BS(InstallProtocolInterface, 4, &h2, &test_guid_a, 1,
            interface_a));
    status("reinstall-protocol-interface", BS(ReinstallProtocolInterface, 4, h, &test_guid_a, interface_a,
            interface_b));
    status("reinstall-protocol-interface-wrong-old", BS(ReinstallProtocolInterface, 4, h, &test_guid_a, interface_a,
            interface_b));
    status("uninstall-protocol-interface-wrong-interface", BS(UninstallProtocolInterface, 3, h, &test_guid_a,
            interface_a));
    status("uninstall-protocol-interface-unknown", BS(UninstallProtocolInterface, 3, h, &unknown_guid, interface_a));
    status("uninstall-protocol-interface", BS(UninstallProtocolInterface, 3, h, &test_guid_a, interface_b));
    /* The handle lost its last protocol, so it is gone (section 7.3, UninstallProtocolInterface). */
    status("handle-protocol-after-uninstall", BS(HandleProtocol, 3, h, &test_guid_a, &iface));

    h = NULL;
    status("install-multiple", BS(InstallMultipleProtocolInterfaces, 5, &h, &test_guid_a, interface_a, &test_guid_b,
            interface_b, NULL));
    status("install-multiple-duplicate", BS(InstallMultipleProtocolInterfaces, 3, &h, &test_guid_a, interface_a,
            NULL));
    status("uninstall-multiple-wrong", BS(UninstallMultipleProtocolInterfaces, 5, h, &test_guid_a, interface_b,
            &test_guid_b, interface_b, NULL));
    iface = NULL;
    s = BS(HandleProtocol, 3, h, &test_guid_a, &iface);
    check("uninstall-multiple-wrong-keeps-all", s, iface == interface_a);
    status("uninstall-multiple", BS(UninstallMultipleProtocolInterfaces, 5, h, &test_guid_a, interface_a,
            &test_guid_b, interface_b, NULL));

    status("connect-controller-no-driver", BS(ConnectController, 4, self, NULL, NULL, FALSE));
    status("connect-controller-null", BS(ConnectController, 4, NULL, NULL, NULL, FALSE));
    status("disconnect-controller-bogus", BS(DisconnectController, 3, (EFI_HANDLE) bogus, NULL, NULL));

    EFI_EVENT notify_event = NULL;
    void *registration = NULL;
    BS(CreateEvent, 5, 0, 0, NULL, NULL, &notify_event);
    status("register-protocol-notify", BS(RegisterProtocolNotify, 3, &test_guid_b, notify_event, &registration));
    status("register-protocol-notify-null-registration", BS(RegisterProtocolNotify, 3, &test_guid_b, notify_event,
            NULL));
    size = sizeof(EFI_HANDLE);
    EFI_HANDLE next = NULL;
    status("locate-handle-by-register-notify-none", BS(LocateHandle, 5, ByRegisterNotify, NULL, registration, &size,
            &next));
    h = NULL;
    BS(InstallProtocolInterface, 4, &h, &test_guid_b, EFI_NATIVE_INTERFACE, interface_b);
    status("check-event-after-notify-install", BS(CheckEvent, 1, notify_event));
    size = sizeof(EFI_HANDLE);
    s = BS(LocateHandle, 5, ByRegisterNotify, NULL, registration, &size, &next);
    check("locate-handle-by-register-notify", s, next == h && size == sizeof(EFI_HANDLE));
    size = sizeof(EFI_HANDLE);
    status("locate-handle-by-register-notify-again", BS(LocateHandle, 5, ByRegisterNotify, NULL, registration, &size,
            &next));
    BS(UninstallProtocolInterface, 3, h, &test_guid_b, interface_b);
    BS(CloseEvent, 1, notify_event);

    status("install-configuration-table", BS(InstallConfigurationTable, 2, &test_guid_a, interface_a));
    BOOLEAN found = FALSE;
    for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
        if (same(&st->ConfigurationTable[i].VendorGuid, &test_guid_a, sizeof(EFI_GUID))
                && st->ConfigurationTable[i].VendorTable == interface_a) {
            found = TRUE;
        }
    }
    verdict("configuration-table-listed", found ? "yes" : "no");
    status("install-configuration-table-remove", BS(InstallConfigurationTable, 2, &test_guid_a, NULL));
    status("install-configuration-table-remove-absent", BS(InstallConfigurationTable, 2, &test_guid_a, NULL));
    status("install-configuration-table-null-guid", BS(InstallConfigurationTable, 2, NULL, interface_a));
}

/* ---- Loaded Image (section 9.1), device paths (chapter 10), images (7.4) ---- */

static EFI_LOADED_IMAGE_PROTOCOL *loaded;

static UINTN dp_size(EFI_DEVICE_PATH_PROTOCOL *dp, BOOLEAN with_end) {
    UINT8 *p = (UINT8 *) dp;
    UINTN size = 0;
    while (!(p[size] == 0x7f && p[size + 1] == 0xff)) {
        size += p[size + 2] | p[size + 3] << 8;
    }
    return with_end ? size + 4 : size;
}

static UINT8 full_path[1024];

static void images(void) {
    EFI_STATUS s = BS(HandleProtocol, 3, self, &loaded_image_guid, (void **) &loaded);
    check("loaded-image", s, loaded != NULL && loaded->Revision == 0x1000 && loaded->SystemTable == st
            && (UINT8 *) loaded->ImageBase <= (UINT8 *) images
            && (UINT8 *) images < (UINT8 *) loaded->ImageBase + loaded->ImageSize
            && loaded->ImageCodeType == EfiLoaderCode && loaded->ImageDataType == EfiLoaderData);
    if (s != EFI_SUCCESS) {
        return;
    }
    EFI_DEVICE_PATH_PROTOCOL *image_dp = NULL, *device_dp = NULL;
    status("loaded-image-device-path", BS(HandleProtocol, 3, self, &loaded_image_dp_guid, (void **) &image_dp));
    s = BS(HandleProtocol, 3, loaded->DeviceHandle, &device_path_guid, (void **) &device_dp);
    status("device-handle-device-path", s);
    if (s != EFI_SUCCESS || loaded->FilePath == NULL) {
        return;
    }
    check("loaded-image-file-path-node", EFI_SUCCESS, loaded->FilePath->Type == 4 && loaded->FilePath->SubType == 4);
    UINTN device_size = dp_size(device_dp, FALSE);
    UINTN file_size = dp_size(loaded->FilePath, TRUE);
    if (device_size + file_size > sizeof(full_path)) {
        verdict("device-path-size", "too big");
        return;
    }
    BS(CopyMem, 3, full_path, device_dp, device_size);
    BS(CopyMem, 3, full_path + device_size, loaded->FilePath, file_size);

    EFI_DEVICE_PATH_PROTOCOL *rest = (EFI_DEVICE_PATH_PROTOCOL *) full_path;
    EFI_HANDLE device = NULL;
    s = BS(LocateDevicePath, 3, &sfs_guid, &rest, &device);
    check("locate-device-path", s, device == loaded->DeviceHandle && (UINT8 *) rest == full_path + device_size);
    rest = (EFI_DEVICE_PATH_PROTOCOL *) full_path;
    status("locate-device-path-unknown", BS(LocateDevicePath, 3, &unknown_guid, &rest, &device));
    status("locate-device-path-null-protocol", BS(LocateDevicePath, 3, NULL, &rest, &device));
    status("locate-device-path-null-path", BS(LocateDevicePath, 3, &sfs_guid, NULL, &device));
    status("locate-device-path-null-device", BS(LocateDevicePath, 3, &sfs_guid, &rest, NULL));

    EFI_DEVICE_PATH_TO_TEXT_PROTOCOL *to_text = NULL;
    if (BS(LocateProtocol, 3, &dp_to_text_guid, NULL, (void **) &to_text) == EFI_SUCCESS) {
        static UINT8 node[] = {4, 4, 14, 0, '\\', 0, 'a', 0, 'b', 0, 'c', 0, 0, 0, 0x7f, 0xff, 4, 0};
        CHAR16 *text = uefi_call_wrapper(to_text->ConvertDeviceNodeToText, 3, (EFI_DEVICE_PATH_PROTOCOL *) node,
                FALSE, FALSE);
        static const CHAR16 expected[] = L"\\abc";
        verdict("device-node-to-text", text && str_len(text) == 4 && same(text, expected, 8) ? "\\abc" : "other");
        if (text) {
            BS(FreePool, 1, text);
        }
    }

    EFI_HANDLE child = NULL;
    s = BS(LoadImage, 6, FALSE, self, (EFI_DEVICE_PATH_PROTOCOL *) full_path, NULL, 0, &child);
    status("load-image-from-path", s);
    if (s == EFI_SUCCESS) {
        EFI_LOADED_IMAGE_PROTOCOL *child_image = NULL;
        s = BS(HandleProtocol, 3, child, &loaded_image_guid, (void **) &child_image);
        check("load-image-loaded-image", s, child_image->ParentHandle == self
                && child_image->DeviceHandle == loaded->DeviceHandle && child_image->ImageSize == loaded->ImageSize);
        status("unload-image", BS(UnloadImage, 1, child));
    }
    child = NULL;
    status("load-image-no-source", BS(LoadImage, 6, FALSE, self, NULL, NULL, 0, &child));
    status("load-image-null-handle", BS(LoadImage, 6, FALSE, self, (EFI_DEVICE_PATH_PROTOCOL *) full_path, NULL, 0,
            NULL));
    status("load-image-bogus-parent", BS(LoadImage, 6, FALSE, (EFI_HANDLE) bogus,
            (EFI_DEVICE_PATH_PROTOCOL *) full_path, NULL, 0, &child));
    status("start-image-bogus", BS(StartImage, 3, (EFI_HANDLE) bogus, NULL, NULL));
    status("unload-image-bogus", BS(UnloadImage, 1, (EFI_HANDLE) bogus));
}

/* ---- Simple File System and File (sections 13.4, 13.5) ---- */

static void files(void) {
    EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs = NULL;
    EFI_STATUS s = BS(HandleProtocol, 3, loaded->DeviceHandle, &sfs_guid, (void **) &sfs);
    status("simple-file-system", s);
    if (s != EFI_SUCCESS) {
        return;
    }
    EFI_FILE_PROTOCOL *root = NULL, *file = NULL, *missing = NULL;
    s = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &root);
    status("open-volume", s);
    if (s != EFI_SUCCESS) {
        return;
    }
    status("file-open-missing", uefi_call_wrapper(root->Open, 5, root, &missing, L"\\no-such-file.txt",
            EFI_FILE_MODE_READ, 0));
    s = uefi_call_wrapper(root->Open, 5, root, &file, L"\\selftest.txt", EFI_FILE_MODE_READ, 0);
    status("file-open", s);
    if (s != EFI_SUCCESS) {
        return;
    }
    char data[64];
    UINTN size = 5;
    s = uefi_call_wrapper(file->Read, 3, file, &size, data);
    check("file-read", s, size == 5 && same(data, "jgrub", 5));
    UINT64 position = 0;
    s = uefi_call_wrapper(file->GetPosition, 2, file, &position);
    check("file-get-position", s, position == 5);
    size = sizeof(data);
    s = uefi_call_wrapper(file->Read, 3, file, &size, data);
    check("file-read-rest", s, size == 20 - 5 && same(data, " selftest file\n", 15));
    size = sizeof(data);
    s = uefi_call_wrapper(file->Read, 3, file, &size, data);
    check("file-read-at-end", s, size == 0);
    status("file-set-position-end", uefi_call_wrapper(file->SetPosition, 2, file, 0xFFFFFFFFFFFFFFFFULL));
    s = uefi_call_wrapper(file->GetPosition, 2, file, &position);
    check("file-position-is-size", s, position == 20);

    UINT8 info_buffer[512];
    size = 0;
    s = uefi_call_wrapper(file->GetInfo, 4, file, &file_info_guid, &size, info_buffer);
    check("file-get-info-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size > SIZE_OF_EFI_FILE_INFO);
    size = sizeof(info_buffer);
    s = uefi_call_wrapper(file->GetInfo, 4, file, &file_info_guid, &size, info_buffer);
    EFI_FILE_INFO *info = (EFI_FILE_INFO *) info_buffer;
    static const CHAR16 name[] = L"selftest.txt";
    check("file-get-info", s, info->FileSize == 20 && (info->Attribute & EFI_FILE_DIRECTORY) == 0
            && same(info->FileName, name, sizeof(name)));
    size = sizeof(info_buffer);
    status("file-get-info-unknown", uefi_call_wrapper(file->GetInfo, 4, file, &unknown_guid, &size, info_buffer));
    size = sizeof(info_buffer);
    s = uefi_call_wrapper(root->GetInfo, 4, root, &fs_info_guid, &size, info_buffer);
    check("volume-get-info", s, ((EFI_FILE_SYSTEM_INFO *) info_buffer)->BlockSize > 0);
    size = 4;
    /* 13.5 Write: EFI_ACCESS_DENIED "The file was opened read only". */
    status("file-write-read-only", uefi_call_wrapper(file->Write, 3, file, &size, data));
    size = sizeof(info_buffer);
    status("volume-get-label", uefi_call_wrapper(root->GetInfo, 4, root, &volume_label_guid, &size, info_buffer));
    size = 0;
    s = uefi_call_wrapper(root->Read, 3, root, &size, info_buffer);
    check("directory-read-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size > SIZE_OF_EFI_FILE_INFO);
    size = sizeof(info_buffer);
    s = uefi_call_wrapper(root->Read, 3, root, &size, info_buffer);
    check("directory-read-entry", s, size > SIZE_OF_EFI_FILE_INFO);
    /* 13.5 SetPosition: EFI_UNSUPPORTED "The seek request for nonzero is not valid on open directories". */
    status("directory-set-position-nonzero", uefi_call_wrapper(root->SetPosition, 2, root, 1));
    status("directory-set-position-0", uefi_call_wrapper(root->SetPosition, 2, root, 0));
    EFI_FILE_PROTOCOL *dir = NULL;
    s = uefi_call_wrapper(root->Open, 5, root, &dir, L"\\EFI", EFI_FILE_MODE_READ, 0);
    status("file-open-directory", s);
    if (s == EFI_SUCCESS) {
        size = sizeof(info_buffer);
        s = uefi_call_wrapper(dir->GetInfo, 4, dir, &file_info_guid, &size, info_buffer);
        check("directory-get-info", s, (info->Attribute & EFI_FILE_DIRECTORY) != 0);
        uefi_call_wrapper(dir->Close, 1, dir);
    }
    status("file-close", uefi_call_wrapper(file->Close, 1, file));
    status("root-close", uefi_call_wrapper(root->Close, 1, root));
}

/* ---- Block I/O and Disk I/O on the ESP (sections 13.9, 13.7) ---- */

static void blocks(void) {
    EFI_BLOCK_IO *block = NULL;
    EFI_STATUS s = BS(HandleProtocol, 3, loaded->DeviceHandle, &block_io_guid, (void **) &block);
    check("block-io", s, block != NULL && block->Media->BlockSize == 512 && block->Media->LogicalPartition
            && block->Media->LastBlock > 0 && block->Media->MediaPresent);
    if (s != EFI_SUCCESS) {
        return;
    }
    static UINT8 sector[1024];
    UINT32 media = block->Media->MediaId;
    s = uefi_call_wrapper(block->ReadBlocks, 5, block, media, 0, 512, sector);
    check("block-read-boot-sector", s, sector[510] == 0x55 && sector[511] == 0xAA);
    /* 13.9 ReadBlocks: EFI_BAD_BUFFER_SIZE "The BufferSize parameter is not a multiple of the intrinsic block
     * size of the device"; EFI_MEDIA_CHANGED "The MediaId does not match the current device"; EFI_INVALID_PARAMETER
     * "The read request contains LBAs that are not valid". */
    status("block-read-odd-size", uefi_call_wrapper(block->ReadBlocks, 5, block, media, 0, 100, sector));
    status("block-read-wrong-media", uefi_call_wrapper(block->ReadBlocks, 5, block, media + 1, 0, 512, sector));
    status("block-read-past-end", uefi_call_wrapper(block->ReadBlocks, 5, block, media,
            block->Media->LastBlock + 1, 512, sector));
    status("block-flush", uefi_call_wrapper(block->FlushBlocks, 1, block));

    EFI_DISK_IO *disk = NULL;
    s = BS(HandleProtocol, 3, loaded->DeviceHandle, &disk_io_guid, (void **) &disk);
    status("disk-io", s);
    if (s != EFI_SUCCESS) {
        return;
    }
    UINT8 two[2] = {0, 0};
    s = uefi_call_wrapper(disk->ReadDisk, 5, disk, media, 510, 2, two);
    check("disk-read-unaligned", s, two[0] == 0x55 && two[1] == 0xAA);
    status("disk-read-wrong-media", uefi_call_wrapper(disk->ReadDisk, 5, disk, media + 1, 510, 2, two));
    status("disk-read-past-end", uefi_call_wrapper(disk->ReadDisk, 5, disk, media,
            (block->Media->LastBlock + 1) * 512, 2, two));
}

/* ---- variables (section 8.2) ---- */

static void variables(void) {
    static CHAR16 name[] = L"JgrubSelfTest";
    UINT32 data = 0x12345678, got = 0, attributes = 0;
    UINT32 bsrt = EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS;
    status("set-variable", RS(SetVariable, 5, name, &vendor_guid, bsrt, sizeof(data), &data));
    UINTN size = 0;
    EFI_STATUS s = RS(GetVariable, 5, name, &vendor_guid, &attributes, &size, NULL);
    check("get-variable-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size == sizeof(data));
    size = sizeof(got);
    s = RS(GetVariable, 5, name, &vendor_guid, &attributes, &size, &got);
    check("get-variable", s, got == data && size == sizeof(data) && attributes == bsrt);
    size = sizeof(got);
    status("get-variable-null-data", RS(GetVariable, 5, name, &vendor_guid, &attributes, &size, NULL));
    status("get-variable-unknown", RS(GetVariable, 5, L"JgrubNoSuchVariable", &vendor_guid, &attributes, &size,
            &got));
    status("get-variable-null-name", RS(GetVariable, 5, NULL, &vendor_guid, &attributes, &size, &got));
    status("get-variable-null-guid", RS(GetVariable, 5, name, NULL, &attributes, &size, &got));
    status("get-variable-null-size", RS(GetVariable, 5, name, &vendor_guid, &attributes, NULL, &got));
    status("set-variable-runtime-only", RS(SetVariable, 5, name, &vendor_guid, EFI_VARIABLE_RUNTIME_ACCESS,
            sizeof(data), &data));
    status("set-variable-empty-name", RS(SetVariable, 5, L"", &vendor_guid, bsrt, sizeof(data), &data));
    status("set-variable-null-data", RS(SetVariable, 5, name, &vendor_guid, bsrt, sizeof(data), NULL));
    status("set-variable-null-guid", RS(SetVariable, 5, name, NULL, bsrt, sizeof(data), &data));

    CHAR16 next[128];
    EFI_GUID guid;
    next[0] = 0;
    size = 2;
    s = RS(GetNextVariableName, 3, &size, next, &guid);
    check("get-next-variable-name-small", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s, size > 2);
    status("get-next-variable-name-null-size", RS(GetNextVariableName, 3, NULL, next, &guid));
    status("get-next-variable-name-null-guid", RS(GetNextVariableName, 3, &size, next, NULL));
    static const CHAR16 absent[] = L"JgrubNoSuchVariable";
    BS(CopyMem, 3, next, (void *) absent, sizeof(absent));
    size = sizeof(next);
    /* 8.2 GetNextVariableName: EFI_INVALID_PARAMETER "The input values of VariableName and VendorGuid are not a
     * name and GUID of an existing variable". */
    status("get-next-variable-name-absent", RS(GetNextVariableName, 3, &size, next, &guid));
    next[0] = 0;
    BOOLEAN found = FALSE;
    int n = 0;
    for (; n < 1000; n++) {
        size = sizeof(next);
        s = RS(GetNextVariableName, 3, &size, next, &guid);
        if (s != EFI_SUCCESS) {
            break;
        }
        if (same(&guid, &vendor_guid, sizeof(guid)) && same(next, name, sizeof(name))) {
            found = TRUE;
        }
    }
    status("get-next-variable-name-end", s);
    verdict("get-next-variable-name-finds-ours", found ? "yes" : "no");
    status("delete-variable", RS(SetVariable, 5, name, &vendor_guid, 0, 0, NULL));
    size = sizeof(got);
    status("get-variable-deleted", RS(GetVariable, 5, name, &vendor_guid, &attributes, &size, &got));
    status("delete-variable-absent", RS(SetVariable, 5, name, &vendor_guid, 0, 0, NULL));
}

/* ---- console, RNG, time, the rest ---- */

static void console(void) {
    UINTN columns = 0, rows = 0;
    EFI_STATUS s = uefi_call_wrapper(st->ConOut->QueryMode, 4, st->ConOut, 0, &columns, &rows);
    check("con-out-query-mode-0", s, columns == 80 && rows == 25);
    status("con-out-query-mode-bad", uefi_call_wrapper(st->ConOut->QueryMode, 4, st->ConOut, 9999, &columns, &rows));
    status("con-out-set-mode-bad", uefi_call_wrapper(st->ConOut->SetMode, 2, st->ConOut, 9999));
    status("con-out-test-string", uefi_call_wrapper(st->ConOut->TestString, 2, st->ConOut, L"abc"));
    status("con-out-set-cursor-bad", uefi_call_wrapper(st->ConOut->SetCursorPosition, 3, st->ConOut, 9999, 9999));
    status("con-out-set-attribute", uefi_call_wrapper(st->ConOut->SetAttribute, 2, st->ConOut, EFI_LIGHTGRAY));
    status("con-in-reset", uefi_call_wrapper(st->ConIn->Reset, 2, st->ConIn, FALSE));
    EFI_INPUT_KEY key;
    status("con-in-read-key-none", uefi_call_wrapper(st->ConIn->ReadKeyStroke, 2, st->ConIn, &key));
}

static void rng(void) {
    EFI_RNG_PROTOCOL *rng = NULL;
    EFI_STATUS s = BS(LocateProtocol, 3, &rng_guid, NULL, (void **) &rng);
    status("rng-locate", s);
    if (s != EFI_SUCCESS) {
        return;
    }
    UINT8 buffer[32];
    status("rng-get-rng", uefi_call_wrapper(rng->GetRNG, 4, rng, NULL, sizeof(buffer), buffer));
    status("rng-get-rng-raw", uefi_call_wrapper(rng->GetRNG, 4, rng, &rng_raw_guid, sizeof(buffer), buffer));
    status("rng-get-rng-length-0", uefi_call_wrapper(rng->GetRNG, 4, rng, NULL, 0, buffer));
    status("rng-get-rng-null-buffer", uefi_call_wrapper(rng->GetRNG, 4, rng, NULL, sizeof(buffer), NULL));
    status("rng-get-rng-unknown-algorithm", uefi_call_wrapper(rng->GetRNG, 4, rng, &unknown_guid, sizeof(buffer),
            buffer));
    UINTN size = 0;
    EFI_GUID algorithms[8];
    s = uefi_call_wrapper(rng->GetInfo, 3, rng, &size, algorithms);
    check("rng-get-info-size-0", s == EFI_BUFFER_TOO_SMALL ? EFI_SUCCESS : s,
            size >= sizeof(EFI_GUID) && size % sizeof(EFI_GUID) == 0);
    status("rng-get-info-null-size", uefi_call_wrapper(rng->GetInfo, 3, rng, NULL, algorithms));
}

static void misc(void) {
    EFI_TIME time;
    EFI_STATUS s = RS(GetTime, 2, &time, NULL);
    check("get-time", s, time.Year >= 2020 && time.Month >= 1 && time.Month <= 12 && time.Day >= 1);
    status("get-time-null", RS(GetTime, 2, NULL, NULL));
    status("stall", BS(Stall, 1, 1000));
    UINT64 count = 0, later = 0;
    BS(GetNextMonotonicCount, 1, &count);
    s = BS(GetNextMonotonicCount, 1, &later);
    check("get-next-monotonic-count", s, later > count);
    status("get-next-monotonic-count-null", BS(GetNextMonotonicCount, 1, NULL));
    UINT32 crc = 0;
    s = BS(CalculateCrc32, 3, (void *) "123456789", 9, &crc);
    check("calculate-crc32", s, crc == 0xCBF43926);
    status("calculate-crc32-size-0", BS(CalculateCrc32, 3, (void *) "123456789", 0, &crc));
    status("calculate-crc32-null-out", BS(CalculateCrc32, 3, (void *) "123456789", 9, NULL));
    char overlap[16] = "abcdefgh";
    BS(CopyMem, 3, overlap + 2, overlap, 6);
    verdict("copy-mem-overlapping", same(overlap, "ababcdef", 8) ? "memmove" : "other");
    BS(SetMem, 3, overlap, 4, 'z');
    verdict("set-mem", same(overlap, "zzzzcdef", 8) ? "filled" : "other");
}

/* crt0-efi-x86_64 converts the firmware's call and calls this with the System V convention. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table) {
    st = system_table;
    bs = st->BootServices;
    rs = st->RuntimeServices;
    self = image;
    out(L"\r\nselftest: start\r\n");
    /* OVMF's boot manager arms a five-minute watchdog for a boot option (section 3.1.2); the run is bounded by the
     * test's timeout instead. */
    status("set-watchdog-timer-off", BS(SetWatchdogTimer, 4, 0, 0, 0, NULL));
    memory();
    events();
    protocols();
    images();
    if (loaded) {
        files();
        blocks();
    }
    variables();
    console();
    rng();
    misc();
    CHAR16 line[64];
    UINTN at = append(line, 0, "selftest: done ");
    char digits[8];
    int n = 0;
    UINTN c = cases;
    do { digits[n++] = (char) ('0' + c % 10); c /= 10; } while (c);
    while (n) {
        line[at++] = (CHAR16) digits[--n];
    }
    at = append(line, at, " cases\r\n");
    line[at] = 0;
    out(line);
    RS(ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
    return EFI_SUCCESS;
}
