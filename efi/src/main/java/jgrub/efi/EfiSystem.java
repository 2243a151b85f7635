package jgrub.efi;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import jgrub.boot.EnvironmentRegion;
import jgrub.boot.Framebuffer;
import jgrub.boot.MemoryRegion;

/**
 * jgrub's EFI environment: the system table, boot and runtime services and the protocols real payloads call, built
 * in guest memory and served from Java. Guest calls arrive through {@link EfiStubs}; {@link #call} dispatches them and
 * turns every failure into an EFI_STATUS, so nothing a guest passes can raise a JVM exception or reach memory outside
 * the guest. One service group per class, as U-Boot's efi_loader has one file per group.
 */
public final class EfiSystem {

    /** How a run ends from inside EFI: an image returned or called Exit, or the guest called ResetSystem. */
    public record Ending(String how, long status, String detail) {
    }

    final PhysicalMemory memory;
    final EfiMemoryMap memoryMap;
    final EfiHandles handles;
    final EfiArena bootArena;
    final EfiArena runtimeArena;
    final EfiVariableStore variables;
    final EfiConsole console;
    final long stubCode;
    final long mailbox;
    final long systemTable;
    final long bootServicesTable;
    final long runtimeServicesTable;
    final long configurationTables;
    private final List<EnvironmentRegion> regions = new ArrayList<>();
    private final List<GuestPointers.Guarded> guarded;
    private final List<GuestPointers.Guarded> guardedAtRuntime;
    private final Map<EfiService.Table, Dispatcher> dispatchers = new EnumMap<>(EfiService.Table.class);
    final EfiBootServices boot;
    final EfiEvents events;
    final EfiInterrupts interrupts = new EfiInterrupts();
    /** jgrub's IDT, in the boot-services arena: used only until ExitBootServices. */
    final long idt;
    final EfiProtocolServices protocols;
    final EfiRuntimeServices runtime;
    final EfiTextProtocols text;
    EfiFileProtocols files;
    EfiBlockProtocols blocks;
    private EfiLoadFile2 loadFiles;
    private final EfiDevicePathToText devicePathToText;
    final EfiRngProtocol rng;
    final EfiMemoryAttributeProtocol memoryAttributes;
    /** The Graphics Output Protocol, when the machine has a display. */
    EfiGraphicsOutput graphics;
    private Consumer<String> trace;
    boolean bootServicesExited;
    EfiImageLoader imageLoader;
    Ending ending;
    long consoleHandle;

    /** Serves one service group: the call has been decoded; the result is the value for RAX. */
    interface Dispatcher {
        long call(EfiCall call) throws EfiException;
    }

    /** Pages of jgrub's boot-services arena (tables, protocol instances, handles, device paths). */
    static final long BOOT_ARENA_PAGES = 64;
    static final long RUNTIME_ARENA_PAGES = 4;

    private EfiSystem(PhysicalMemory memory, EfiMemoryMap memoryMap, EfiVariableStore variables, EfiConsole console)
            throws EfiException {
        this.memory = memory;
        this.memoryMap = memoryMap;
        this.variables = variables;
        this.console = console;
        // The mailbox page directly follows the stub code page (EfiStubs addresses it RIP-relative).
        this.mailbox = memoryMap.allocatePages(EfiMemoryMap.AllocateType.ANY_PAGES,
                EfiMemoryType.RUNTIME_SERVICES_DATA.code(), 1, 0);
        this.stubCode = memoryMap.allocatePages(EfiMemoryMap.AllocateType.ADDRESS,
                EfiMemoryType.RUNTIME_SERVICES_CODE.code(), 1, mailbox - EfiMemoryMap.PAGE);
        long runtimeStart = memoryMap.allocatePages(EfiMemoryMap.AllocateType.ANY_PAGES,
                EfiMemoryType.RUNTIME_SERVICES_DATA.code(), RUNTIME_ARENA_PAGES, 0);
        this.runtimeArena = new EfiArena(runtimeStart, RUNTIME_ARENA_PAGES * EfiMemoryMap.PAGE);
        long bootStart = memoryMap.allocatePages(EfiMemoryMap.AllocateType.ANY_PAGES,
                EfiMemoryType.BOOT_SERVICES_DATA.code(), BOOT_ARENA_PAGES, 0);
        this.bootArena = new EfiArena(bootStart, BOOT_ARENA_PAGES * EfiMemoryMap.PAGE);
        this.handles = new EfiHandles(bootArena);
        record("EFI service stubs", stubCode, EfiMemoryMap.PAGE, EfiMemoryType.RUNTIME_SERVICES_CODE);
        record("EFI call mailbox", mailbox, EfiMemoryMap.PAGE, EfiMemoryType.RUNTIME_SERVICES_DATA);
        record("EFI system & runtime tables", runtimeStart, RUNTIME_ARENA_PAGES * EfiMemoryMap.PAGE,
                EfiMemoryType.RUNTIME_SERVICES_DATA);
        record("EFI boot services, handles", bootStart, BOOT_ARENA_PAGES * EfiMemoryMap.PAGE,
                EfiMemoryType.BOOT_SERVICES_DATA);

        this.systemTable = runtimeArena.allocate(EfiTables.SYSTEM_TABLE_SIZE);
        this.runtimeServicesTable = runtimeArena.allocate(EfiTables.serviceTableSize(EfiService.Table.RUNTIME));
        this.configurationTables = runtimeArena.allocate((long) EfiTables.CONFIGURATION_ENTRY_SIZE
                * EfiTables.MAX_CONFIGURATION_TABLES);
        this.bootServicesTable = bootArena.allocate(EfiTables.serviceTableSize(EfiService.Table.BOOT));
        this.idt = bootArena.allocate(EfiInterrupts.IDT_SIZE);
        this.guarded = guarded(true);
        this.guardedAtRuntime = guarded(false);

        this.boot = new EfiBootServices(this);
        this.events = new EfiEvents(this);
        this.protocols = new EfiProtocolServices(this);
        this.runtime = new EfiRuntimeServices(this);
        this.text = new EfiTextProtocols(this);
        this.devicePathToText = new EfiDevicePathToText(this);
        this.rng = new EfiRngProtocol(this);
        this.memoryAttributes = new EfiMemoryAttributeProtocol(this);
        dispatchers.put(EfiService.Table.RNG, rng::call);
        dispatchers.put(EfiService.Table.MEMORY_ATTRIBUTE, memoryAttributes::call);
        dispatchers.put(EfiService.Table.BOOT, this::bootCall);
        dispatchers.put(EfiService.Table.RUNTIME, runtime::call);
        dispatchers.put(EfiService.Table.TEXT_OUTPUT, text::call);
        dispatchers.put(EfiService.Table.TEXT_INPUT, text::call);
        dispatchers.put(EfiService.Table.TEXT_INPUT_EX, text::call);
        dispatchers.put(EfiService.Table.DEVICE_PATH_TO_TEXT, devicePathToText::call);
        dispatchers.put(EfiService.Table.NONE, c -> switch (c.service()) {
            case NESTED_IMAGE_RETURNED -> boot.imageReturned(c.rcx());
            case NOTIFY_RETURNED -> throw new EfiException(EfiStatus.INVALID_PARAMETER,
                    "NOTIFY_RETURNED is answered by the mailbox, not called");
            default -> imageReturned(c);
        });
        dispatchers.put(EfiService.Table.LOADED_IMAGE,
                c -> { throw new EfiException(EfiStatus.UNSUPPORTED, "images loaded by jgrub cannot be unloaded"); });
    }

    /**
     * Builds the environment in guest memory: the firmware's map, with jgrub's own regions marked, becomes the EFI
     * memory map; the stubs, tables and console go in; ACPI and SMBIOS tables the firmware built are published.
     */
    public static EfiSystem install(PhysicalMemory memory, List<MemoryRegion> firmwareMap,
            List<MemoryRegion> loaderRegions, Optional<Long> acpiRsdp, int rsdpRevision, EfiVariableStore variables,
            EfiConsole console) throws EfiException {
        return install(memory, firmwareMap, loaderRegions, Optional.empty(), acpiRsdp, rsdpRevision, variables,
                console);
    }

    /**
     * As {@link #install(PhysicalMemory, List, List, Optional, int, EfiVariableStore, EfiConsole)}, on a machine with
     * a display: its framebuffer is reserved (EfiReservedMemoryType, as OVMF's QemuRamfbDxe allocates it, so that
     * nothing is allocated there and no memory tester overwrites it) and served as the Graphics Output Protocol.
     */
    public static EfiSystem install(PhysicalMemory memory, List<MemoryRegion> firmwareMap,
            List<MemoryRegion> loaderRegions, Optional<Framebuffer> display, Optional<Long> acpiRsdp,
            int rsdpRevision, EfiVariableStore variables, EfiConsole console) throws EfiException {
        EfiMemoryMap map = EfiMemoryMap.fromFirmware(firmwareMap);
        for (MemoryRegion region : loaderRegions) {
            map.reserve(region.base(), region.length(), EfiMemoryType.BOOT_SERVICES_DATA);
        }
        if (display.isPresent()) {
            map.reserve(display.get().base(), display.get().size(), EfiMemoryType.RESERVED);
        }
        EfiSystem efi = new EfiSystem(memory, map, variables, console);
        if (display.isPresent()) {
            efi.graphics = new EfiGraphicsOutput(efi, display.get());
            efi.dispatchers.put(EfiService.Table.GRAPHICS_OUTPUT, efi.graphics::call);
            efi.graphics.install();
            efi.record("display framebuffer", display.get().base(), display.get().size(), EfiMemoryType.RESERVED);
        }
        efi.writeTables();
        efi.consoleHandle = efi.text.install();
        if (acpiRsdp.isPresent()) {
            if (rsdpRevision >= 2) {
                efi.protocols.installConfigurationTable(EfiGuid.ACPI_20_TABLE, acpiRsdp.get());
            }
            efi.protocols.installConfigurationTable(EfiGuid.ACPI_TABLE, acpiRsdp.get());
        }
        efi.publishSmbios();
        efi.installDevicePathToText();
        efi.rng.install();
        efi.memoryAttributes.install();
        return efi;
    }

    /** The PE32+ loader LoadImage uses (the chainload module's); without one LoadImage answers EFI_UNSUPPORTED. */
    public void imageLoader(EfiImageLoader loader) {
        this.imageLoader = loader;
    }

    /** Tells the StartImage routine, through the mailbox, what to enter: RCX = ImageHandle, RDX = SystemTable. */
    void enterImage(long entryPoint, long imageHandle) throws EfiException {
        ByteBuffer box = memory.slice(mailbox, (int) EfiMemoryMap.PAGE);
        box.putLong(EfiStubs.MAILBOX_START_ENTRY, entryPoint);
        box.putLong(EfiStubs.MAILBOX_START_HANDLE, imageHandle);
        box.putLong(EfiStubs.MAILBOX_START_SYSTEM_TABLE, systemTable);
    }

    /**
     * Where an EFI boot's CPU enters first instead of {@code entryPoint}: the stub page's handoff routine, which
     * starts the timer interrupt (EfiInterrupts) and jumps to {@code entryPoint} with the entry state's registers.
     */
    public long handoff(long entryPoint) throws EfiException {
        memory.slice(mailbox, (int) EfiMemoryMap.PAGE).putLong(EfiStubs.MAILBOX_HANDOFF_ENTRY, entryPoint);
        return stubCode + EfiStubs.handoff();
    }

    /** Tells the Exit routine, through the mailbox, to resume the StartImage whose stack is at {@code rsp}. */
    void resumeAfterExit(long rsp) throws EfiException {
        memory.slice(mailbox, (int) EfiMemoryMap.PAGE).putLong(EfiStubs.MAILBOX_RESUME_RSP, rsp);
    }

    public void trace(Consumer<String> sink) {
        this.trace = sink;
    }

    public long systemTable() {
        return systemTable;
    }

    public long stubCode() {
        return stubCode;
    }

    public long mailbox() {
        return mailbox;
    }

    public EfiMemoryMap memoryMap() {
        return memoryMap;
    }

    public boolean bootServicesExited() {
        return bootServicesExited;
    }

    /** Set when the run should end (image returned or exited, ResetSystem); the machine checks it after each call. */
    public Optional<Ending> ending() {
        return Optional.ofNullable(ending);
    }

    /** The guest address a service's function pointer holds. */
    long entry(EfiService service) {
        return stubCode + EfiStubs.entry(service.ordinal());
    }

    /** Serves the file system on the handle of the ESP, and its disk and partition through Block I/O and Disk I/O. */
    public long attachDisk(EfiBlockDevice disk, EfiDevicePath diskPath, EfiBlockDevice partition,
            EfiDevicePath partitionPath, EfiVolume volume) throws EfiException {
        blocks = new EfiBlockProtocols(this);
        files = new EfiFileProtocols(this);
        dispatchers.put(EfiService.Table.BLOCK_IO, blocks::call);
        dispatchers.put(EfiService.Table.DISK_IO, blocks::call);
        dispatchers.put(EfiService.Table.FILE_SYSTEM, files::call);
        dispatchers.put(EfiService.Table.FILE, files::call);
        blocks.install(disk, diskPath, false);
        long esp = blocks.install(partition, partitionPath, true);
        files.install(handles.get(esp), volume);
        return esp;
    }

    /**
     * Serves {@code contents} through EFI_LOAD_FILE2_PROTOCOL on a new handle whose device path is {@code path} (the
     * Linux initrd: {@link #LINUX_INITRD_MEDIA}); {@code name} is what traces call it. Returns the handle.
     */
    public long installLoadFile2(EfiDevicePath path, String name, jgrub.boot.Contents contents) throws EfiException {
        if (loadFiles == null) {
            loadFiles = new EfiLoadFile2(this);
            dispatchers.put(EfiService.Table.LOAD_FILE2, loadFiles::call);
        }
        return loadFiles.install(path, name, contents);
    }

    /** The device path of the handle Linux's EFI stub loads its initrd from: VenMedia(LINUX_EFI_INITRD_MEDIA). */
    public static final EfiDevicePath LINUX_INITRD_MEDIA =
            EfiDevicePath.of(new EfiDevicePath.VendorMedia(EfiGuid.LINUX_EFI_INITRD_MEDIA));

    /**
     * Makes the handle of an image jgrub has placed: Loaded Image (with the device it came from, its file path and
     * load options) and Loaded Image Device Path. Returns the image handle.
     */
    public long createImage(long imageBase, long imageSize, long deviceHandle, EfiDevicePath filePath,
            String loadOptions) throws EfiException {
        return boot.createImage(imageBase, imageSize, deviceHandle, filePath, loadOptions);
    }

    /** A stack for an image and the return address on it that ends the run when the image returns. */
    public long imageStack(long pages) throws EfiException {
        long top = stack("image stack", pages) - 8; // as after a call: RSP + 8 is 16-byte aligned
        new GuestPointers(memory, 0).writeU64(top, entry(EfiService.IMAGE_RETURNED));
        return top;
    }

    /** A firmware stack of {@code pages} pages in boot-services memory, named for the plan; returns its top. */
    public long stack(String name, long pages) throws EfiException {
        long stack = memoryMap.allocatePages(EfiMemoryMap.AllocateType.ANY_PAGES,
                EfiMemoryType.BOOT_SERVICES_DATA.code(), pages, 0);
        record(name, stack, pages * EfiMemoryMap.PAGE, EfiMemoryType.BOOT_SERVICES_DATA);
        return stack + pages * EfiMemoryMap.PAGE;
    }

    private void record(String name, long address, long length, EfiMemoryType type) {
        regions.add(new EnvironmentRegion(name, address, length, type.name()));
    }

    /** What the environment has taken for itself so far, in the order it did: tables, stubs, stacks. */
    public List<EnvironmentRegion> regions() {
        return List.copyOf(regions);
    }

    /**
     * Serves the call waiting in the mailbox: reads it, dispatches it, writes the result and marks it done. A stray
     * doorbell with no call pending is ignored.
     */
    public void serveMailbox() throws EfiException {
        ByteBuffer box = memory.slice(mailbox, EfiStubs.MAILBOX_SIZE);
        if (box.getInt(EfiStubs.MAILBOX_STATUS) != EfiStubs.STATUS_PENDING) {
            return;
        }
        VarHandle.acquireFence(); // the guest wrote the arguments before the status
        long number = Integer.toUnsignedLong(box.getInt(EfiStubs.MAILBOX_SERVICE));
        GuestPointers pointers = new GuestPointers(memory, box.getLong(EfiStubs.MAILBOX_CR3));
        EfiService service = EfiService.byNumber(number);
        EfiEvents.Answer answer;
        if (service == null) {
            answer = new EfiEvents.Answer.Done(EfiStatus.UNSUPPORTED);
            log("unknown service " + number + " = " + EfiStatus.name(EfiStatus.UNSUPPORTED));
        } else {
            answer = serve(new EfiCall(service, box.getLong(EfiStubs.MAILBOX_RCX), box.getLong(EfiStubs.MAILBOX_RDX),
                    box.getLong(EfiStubs.MAILBOX_R8), box.getLong(EfiStubs.MAILBOX_R9),
                    box.getLong(EfiStubs.MAILBOX_RSP), pointers));
        }
        int status;
        if (answer instanceof EfiEvents.Answer.Notify notify) {
            box.putLong(EfiStubs.MAILBOX_NOTIFY_FUNCTION, notify.function());
            box.putLong(EfiStubs.MAILBOX_NOTIFY_RCX, notify.rcx());
            box.putLong(EfiStubs.MAILBOX_NOTIFY_RDX, notify.rdx());
            status = EfiStubs.STATUS_NOTIFY;
        } else {
            box.putLong(EfiStubs.MAILBOX_RESULT, ((EfiEvents.Answer.Done) answer).result());
            status = EfiStubs.STATUS_DONE;
        }
        EfiInterrupts.Directive directive = interrupts.after(events.tpl(), bootServicesExited);
        if (directive != EfiInterrupts.Directive.NONE) {
            log("interrupts: " + directive);
        }
        box.putInt(EfiStubs.MAILBOX_INTERRUPTS, directive.ordinal());
        VarHandle.releaseFence(); // the guest must see the result (and all else written) before the status
        box.putInt(EfiStubs.MAILBOX_STATUS, status);
    }

    /**
     * Serves one call and says what the stub does next: return the result, or first call a notification function
     * the call left runnable (then the guest rings NOTIFY_RETURNED, which this serves too).
     */
    EfiEvents.Answer serve(EfiCall call) {
        if (call.service() == EfiService.NOTIFY_RETURNED) {
            return events.notifyReturned();
        }
        if (!bootServicesExited) {
            events.checkTimers(); // what CheckEvent or WaitForEvent sees is current
        }
        return events.answer(call.service(), call(call));
    }

    /**
     * What no service writes through a guest's pointer: the stubs and mailbox, the system table, service tables and
     * everything else jgrub keeps in its arenas. CopyMem and SetMem write where they are told (a guest may patch its
     * tables); every other service would only write there for a wild output pointer (EfiWildInputTest). After
     * ExitBootServices the boot-services arena is the OS's memory, which its runtime calls may well use.
     */
    private List<GuestPointers.Guarded> guarded(boolean bootServices) {
        List<GuestPointers.Guarded> out = new ArrayList<>(List.of(
                new GuestPointers.Guarded("EFI service stubs", stubCode, EfiMemoryMap.PAGE),
                new GuestPointers.Guarded("EFI call mailbox", mailbox, EfiMemoryMap.PAGE),
                runtimeArena.guarded("system table and runtime services table")));
        if (bootServices) {
            out.add(bootArena.guarded("boot services table, protocols and handles"));
        }
        return List.copyOf(out);
    }

    /** Dispatches one call; the result is what the guest's RAX receives. Never throws. */
    public long call(EfiCall call) {
        long result;
        String detail = "";
        if (call.service() != EfiService.COPY_MEM && call.service() != EfiService.SET_MEM) {
            call = new EfiCall(call.service(), call.rcx(), call.rdx(), call.r8(), call.r9(), call.rsp(),
                    call.memory().guarding(bootServicesExited ? guardedAtRuntime : guarded));
        }
        try {
            if (bootServicesExited && call.service().table() != EfiService.Table.RUNTIME
                    && call.service().table() != EfiService.Table.NONE) {
                throw new EfiException(EfiStatus.UNSUPPORTED, "boot services have been exited");
            }
            Dispatcher dispatcher = dispatchers.get(call.service().table());
            if (dispatcher == null) {
                throw new EfiException(EfiStatus.UNSUPPORTED, "no such protocol here");
            }
            result = dispatcher.call(call);
        } catch (EfiException e) {
            result = e.status();
            detail = " (" + e.getMessage() + ")";
        } catch (RuntimeException e) {
            // A bug in jgrub, not the guest's fault; the guest still gets a status, and the trace says what broke.
            result = EfiStatus.DEVICE_ERROR;
            detail = " (internal error: " + e + ")";
        }
        if (trace != null) {
            trace.accept(String.format("efi: %s(0x%x, 0x%x, 0x%x, 0x%x) = %s%s", call.service().specName(),
                    call.rcx(), call.rdx(), call.r8(), call.r9(), describe(call.service(), result), detail));
        }
        return result;
    }

    private static String describe(EfiService service, long result) {
        return service == EfiService.DEVICE_PATH_TO_TEXT || service == EfiService.DEVICE_NODE_TO_TEXT
                || service == EfiService.RAISE_TPL ? "0x" + Long.toHexString(result) : EfiStatus.name(result);
    }

    void log(String line) {
        if (trace != null) {
            trace.accept("efi: " + line);
        }
    }

    private long bootCall(EfiCall call) throws EfiException {
        return switch (call.service()) {
            case INSTALL_PROTOCOL_INTERFACE, REINSTALL_PROTOCOL_INTERFACE, UNINSTALL_PROTOCOL_INTERFACE,
                    HANDLE_PROTOCOL, REGISTER_PROTOCOL_NOTIFY, LOCATE_HANDLE, LOCATE_DEVICE_PATH,
                    INSTALL_CONFIGURATION_TABLE, OPEN_PROTOCOL, CLOSE_PROTOCOL, OPEN_PROTOCOL_INFORMATION,
                    PROTOCOLS_PER_HANDLE, LOCATE_HANDLE_BUFFER, LOCATE_PROTOCOL,
                    INSTALL_MULTIPLE_PROTOCOL_INTERFACES, UNINSTALL_MULTIPLE_PROTOCOL_INTERFACES,
                    CONNECT_CONTROLLER, DISCONNECT_CONTROLLER -> protocols.call(call);
            default -> boot.call(call);
        };
    }

    private long imageReturned(EfiCall call) {
        // The IMAGE_RETURNED entry moved the image's RAX into RCX before ringing.
        ending = new Ending("image returned", call.rcx(), "");
        return call.rcx();
    }

    private void writeTables() throws EfiException {
        GuestPointers physical = new GuestPointers(memory, 0);
        physical.write(stubCode, EfiStubs.code());
        ByteBuffer box = memory.slice(mailbox, (int) EfiMemoryMap.PAGE);
        box.putInt(EfiStubs.MAILBOX_SIGNATURE, EfiStubs.SIGNATURE);
        box.putInt(EfiStubs.MAILBOX_STATUS, EfiStubs.STATUS_IDLE);
        physical.write(idt, EfiInterrupts.idt(stubCode + EfiStubs.tickHandler(), stubCode + EfiStubs.ignoreHandler()));
        EfiInterrupts.writeIdtr(box, EfiStubs.MAILBOX_IDTR, idt);

        writeServiceTable(bootServicesTable, EfiService.Table.BOOT, EfiTables.BOOT_SERVICES_SIGNATURE);
        writeServiceTable(runtimeServicesTable, EfiService.Table.RUNTIME, EfiTables.RUNTIME_SERVICES_SIGNATURE);

        long vendor = runtimeArena.allocate(64);
        physical.writeUcs2(vendor, "jgrub");
        ByteBuffer st = memory.slice(systemTable, EfiTables.SYSTEM_TABLE_SIZE);
        EfiTables.writeHeader(st, EfiTables.SYSTEM_TABLE_SIGNATURE, EfiTables.SYSTEM_TABLE_SIZE);
        st.putLong(EfiTables.ST_FIRMWARE_VENDOR, vendor);
        st.putInt(EfiTables.ST_FIRMWARE_REVISION, 0x00010000);
        st.putLong(EfiTables.ST_RUNTIME_SERVICES, runtimeServicesTable);
        st.putLong(EfiTables.ST_BOOT_SERVICES, bootServicesTable);
        st.putLong(EfiTables.ST_NUMBER_OF_TABLE_ENTRIES, 0);
        st.putLong(EfiTables.ST_CONFIGURATION_TABLE, configurationTables);
        EfiTables.updateCrc(st, EfiTables.SYSTEM_TABLE_SIZE);
    }

    private void writeServiceTable(long address, EfiService.Table table, long signature) throws EfiException {
        int size = EfiTables.serviceTableSize(table);
        ByteBuffer t = memory.slice(address, size);
        EfiTables.writeHeader(t, signature, size);
        int at = EfiTables.HEADER_SIZE;
        for (EfiService service : EfiService.of(table)) {
            t.putLong(at, service == EfiService.RESERVED ? 0 : entry(service));
            at += 8;
        }
        EfiTables.updateCrc(t, size);
    }

    /** Sets one field of the system table and re-seals its CRC. */
    void setSystemTableField(int offset, long value) throws EfiException {
        ByteBuffer st = memory.slice(systemTable, EfiTables.SYSTEM_TABLE_SIZE);
        st.putLong(offset, value);
        EfiTables.updateCrc(st, EfiTables.SYSTEM_TABLE_SIZE);
    }

    /** SMBIOS entry points SeaBIOS puts in the F segment, found by their anchors (SMBIOS 3.6 section 5.2). */
    private void publishSmbios() throws EfiException {
        long start = 0xF0000;
        int length = 0x10000;
        if (!memory.isRam(start, length)) {
            return;
        }
        ByteBuffer f = memory.slice(start, length);
        for (int at = 0; at + 32 <= length; at += 16) {
            if (f.get(at) == '_' && f.get(at + 1) == 'S' && f.get(at + 2) == 'M') {
                if (f.get(at + 3) == '_') {
                    protocols.installConfigurationTable(EfiGuid.SMBIOS_TABLE, start + at);
                } else if (f.get(at + 3) == '3' && f.get(at + 4) == '_') {
                    protocols.installConfigurationTable(EfiGuid.SMBIOS3_TABLE, start + at);
                }
            }
        }
    }

    private void installDevicePathToText() throws EfiException {
        installFunctions(EfiGuid.DEVICE_PATH_TO_TEXT, EfiService.DEVICE_NODE_TO_TEXT, EfiService.DEVICE_PATH_TO_TEXT);
    }

    /**
     * A protocol that is nothing but functions, on a handle of its own: the interface (the functions' stub entries
     * in order) in jgrub's arena. Returns the interface's address, the "This" its functions receive.
     */
    long installFunctions(EfiGuid protocol, EfiService... functions) throws EfiException {
        long iface = bootArena.allocate(8L * functions.length);
        ByteBuffer p = memory.slice(iface, 8 * functions.length);
        for (int i = 0; i < functions.length; i++) {
            p.putLong(8 * i, entry(functions[i]));
        }
        handles.install(handles.create(), protocol, iface);
        return iface;
    }
}
