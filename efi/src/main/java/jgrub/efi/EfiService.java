package jgrub.efi;

import java.util.Arrays;
import java.util.List;

/**
 * Every function jgrub puts in a table or protocol, in the order of the table or protocol structure that holds it
 * (UEFI 2.10 sections 4.4, 4.5 and the protocol chapters). Its ordinal is its stub number ({@link EfiStubs}), so the
 * stub a guest calls says which function it meant; for protocol functions the first argument ("This") says which
 * instance. One place lists them all, so a missing service is visible at a glance.
 */
public enum EfiService {
    // Boot services, EFI_BOOT_SERVICES order (section 4.4).
    RAISE_TPL(Table.BOOT, 1),
    RESTORE_TPL(Table.BOOT, 1),
    ALLOCATE_PAGES(Table.BOOT, 4),
    FREE_PAGES(Table.BOOT, 2),
    GET_MEMORY_MAP(Table.BOOT, 5),
    ALLOCATE_POOL(Table.BOOT, 3),
    FREE_POOL(Table.BOOT, 1),
    CREATE_EVENT(Table.BOOT, 5),
    SET_TIMER(Table.BOOT, 3),
    WAIT_FOR_EVENT(Table.BOOT, 3),
    SIGNAL_EVENT(Table.BOOT, 1),
    CLOSE_EVENT(Table.BOOT, 1),
    CHECK_EVENT(Table.BOOT, 1),
    INSTALL_PROTOCOL_INTERFACE(Table.BOOT, 4),
    REINSTALL_PROTOCOL_INTERFACE(Table.BOOT, 4),
    UNINSTALL_PROTOCOL_INTERFACE(Table.BOOT, 3),
    HANDLE_PROTOCOL(Table.BOOT, 3),
    RESERVED(Table.BOOT, 0),
    REGISTER_PROTOCOL_NOTIFY(Table.BOOT, 3),
    LOCATE_HANDLE(Table.BOOT, 5),
    LOCATE_DEVICE_PATH(Table.BOOT, 3),
    INSTALL_CONFIGURATION_TABLE(Table.BOOT, 2),
    LOAD_IMAGE(Table.BOOT, 6),
    START_IMAGE(Table.BOOT, 3),
    EXIT(Table.BOOT, 4),
    UNLOAD_IMAGE(Table.BOOT, 1),
    EXIT_BOOT_SERVICES(Table.BOOT, 2),
    GET_NEXT_MONOTONIC_COUNT(Table.BOOT, 1),
    STALL(Table.BOOT, 1),
    SET_WATCHDOG_TIMER(Table.BOOT, 4),
    CONNECT_CONTROLLER(Table.BOOT, 4),
    DISCONNECT_CONTROLLER(Table.BOOT, 3),
    OPEN_PROTOCOL(Table.BOOT, 6),
    CLOSE_PROTOCOL(Table.BOOT, 4),
    OPEN_PROTOCOL_INFORMATION(Table.BOOT, 4),
    PROTOCOLS_PER_HANDLE(Table.BOOT, 3),
    LOCATE_HANDLE_BUFFER(Table.BOOT, 5),
    LOCATE_PROTOCOL(Table.BOOT, 3),
    INSTALL_MULTIPLE_PROTOCOL_INTERFACES(Table.BOOT, -1),
    UNINSTALL_MULTIPLE_PROTOCOL_INTERFACES(Table.BOOT, -1),
    CALCULATE_CRC32(Table.BOOT, 3),
    COPY_MEM(Table.BOOT, 3),
    SET_MEM(Table.BOOT, 3),
    CREATE_EVENT_EX(Table.BOOT, 6),

    // Runtime services, EFI_RUNTIME_SERVICES order (section 4.5).
    GET_TIME(Table.RUNTIME, 2),
    SET_TIME(Table.RUNTIME, 1),
    GET_WAKEUP_TIME(Table.RUNTIME, 3),
    SET_WAKEUP_TIME(Table.RUNTIME, 2),
    SET_VIRTUAL_ADDRESS_MAP(Table.RUNTIME, 4),
    CONVERT_POINTER(Table.RUNTIME, 2),
    GET_VARIABLE(Table.RUNTIME, 5),
    GET_NEXT_VARIABLE_NAME(Table.RUNTIME, 3),
    SET_VARIABLE(Table.RUNTIME, 5),
    GET_NEXT_HIGH_MONOTONIC_COUNT(Table.RUNTIME, 1),
    RESET_SYSTEM(Table.RUNTIME, 4),
    UPDATE_CAPSULE(Table.RUNTIME, 3),
    QUERY_CAPSULE_CAPABILITIES(Table.RUNTIME, 4),
    QUERY_VARIABLE_INFO(Table.RUNTIME, 4),

    // EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL (section 12.4); Mode follows the functions.
    TEXT_RESET(Table.TEXT_OUTPUT, 2),
    TEXT_OUTPUT_STRING(Table.TEXT_OUTPUT, 2),
    TEXT_TEST_STRING(Table.TEXT_OUTPUT, 2),
    TEXT_QUERY_MODE(Table.TEXT_OUTPUT, 4),
    TEXT_SET_MODE(Table.TEXT_OUTPUT, 2),
    TEXT_SET_ATTRIBUTE(Table.TEXT_OUTPUT, 2),
    TEXT_CLEAR_SCREEN(Table.TEXT_OUTPUT, 1),
    TEXT_SET_CURSOR_POSITION(Table.TEXT_OUTPUT, 3),
    TEXT_ENABLE_CURSOR(Table.TEXT_OUTPUT, 2),

    // EFI_SIMPLE_TEXT_INPUT_PROTOCOL (section 12.3); WaitForKey follows.
    INPUT_RESET(Table.TEXT_INPUT, 2),
    INPUT_READ_KEY_STROKE(Table.TEXT_INPUT, 2),

    // EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL (section 12.2); WaitForKeyEx follows ReadKeyStrokeEx.
    INPUT_EX_RESET(Table.TEXT_INPUT_EX, 2),
    INPUT_EX_READ_KEY_STROKE_EX(Table.TEXT_INPUT_EX, 2),
    INPUT_EX_SET_STATE(Table.TEXT_INPUT_EX, 2),
    INPUT_EX_REGISTER_KEY_NOTIFY(Table.TEXT_INPUT_EX, 4),
    INPUT_EX_UNREGISTER_KEY_NOTIFY(Table.TEXT_INPUT_EX, 2),

    // EFI_LOADED_IMAGE_PROTOCOL.Unload (section 9.1).
    LOADED_IMAGE_UNLOAD(Table.LOADED_IMAGE, 1),

    // EFI_SIMPLE_FILE_SYSTEM_PROTOCOL (section 13.4).
    FS_OPEN_VOLUME(Table.FILE_SYSTEM, 2),

    // EFI_FILE_PROTOCOL revision 1 (section 13.5).
    FILE_OPEN(Table.FILE, 5),
    FILE_CLOSE(Table.FILE, 1),
    FILE_DELETE(Table.FILE, 1),
    FILE_READ(Table.FILE, 3),
    FILE_WRITE(Table.FILE, 3),
    FILE_GET_POSITION(Table.FILE, 2),
    FILE_SET_POSITION(Table.FILE, 2),
    FILE_GET_INFO(Table.FILE, 4),
    FILE_SET_INFO(Table.FILE, 4),
    FILE_FLUSH(Table.FILE, 1),

    // EFI_BLOCK_IO_PROTOCOL (section 13.9); Media precedes the functions.
    BLOCK_RESET(Table.BLOCK_IO, 2),
    BLOCK_READ_BLOCKS(Table.BLOCK_IO, 5),
    BLOCK_WRITE_BLOCKS(Table.BLOCK_IO, 5),
    BLOCK_FLUSH_BLOCKS(Table.BLOCK_IO, 1),

    // EFI_DISK_IO_PROTOCOL (section 13.7).
    DISK_READ(Table.DISK_IO, 5),
    DISK_WRITE(Table.DISK_IO, 5),

    // EFI_DEVICE_PATH_TO_TEXT_PROTOCOL (section 10.6).
    DEVICE_NODE_TO_TEXT(Table.DEVICE_PATH_TO_TEXT, 3),
    DEVICE_PATH_TO_TEXT(Table.DEVICE_PATH_TO_TEXT, 3),

    // EFI_LOAD_FILE2_PROTOCOL (section 13.2).
    LOAD_FILE2_LOAD_FILE(Table.LOAD_FILE2, 5),

    // EFI_RNG_PROTOCOL (section 37.5).
    RNG_GET_INFO(Table.RNG, 3),
    RNG_GET_RNG(Table.RNG, 4),

    // EFI_MEMORY_ATTRIBUTE_PROTOCOL (section 37.7).
    MEMORY_GET_ATTRIBUTES(Table.MEMORY_ATTRIBUTE, 4),
    MEMORY_SET_ATTRIBUTES(Table.MEMORY_ATTRIBUTE, 4),
    MEMORY_CLEAR_ATTRIBUTES(Table.MEMORY_ATTRIBUTE, 4),

    // EFI_GRAPHICS_OUTPUT_PROTOCOL (section 12.9); Mode follows the functions.
    GOP_QUERY_MODE(Table.GRAPHICS_OUTPUT, 4),
    GOP_SET_MODE(Table.GRAPHICS_OUTPUT, 2),
    GOP_BLT(Table.GRAPHICS_OUTPUT, 10),

    /** Not in any table: the return address of a started image, so that its return ends the run with its status. */
    IMAGE_RETURNED(Table.NONE, 1),
    /** Not in any table: the StartImage routine rings it when the image it entered returns, with RAX in RCX. */
    NESTED_IMAGE_RETURNED(Table.NONE, 1),
    /** Not in any table: the trampoline rings it when a notification function it was told to call has returned. */
    NOTIFY_RETURNED(Table.NONE, 0);

    /** The structure a service's pointer lives in. */
    public enum Table { BOOT, RUNTIME, TEXT_OUTPUT, TEXT_INPUT, TEXT_INPUT_EX, LOADED_IMAGE, FILE_SYSTEM, FILE, BLOCK_IO,
        DISK_IO, DEVICE_PATH_TO_TEXT, LOAD_FILE2, RNG, MEMORY_ATTRIBUTE, GRAPHICS_OUTPUT, NONE }

    private final Table table;
    private final int arguments;

    EfiService(Table table, int arguments) {
        this.table = table;
        this.arguments = arguments;
    }

    public Table table() {
        return table;
    }

    /** How many arguments it takes; -1 for the variadic ones (read up to a NULL). */
    public int arguments() {
        return arguments;
    }

    /** The services of one table, in table order. */
    public static List<EfiService> of(Table table) {
        return Arrays.stream(values()).filter(s -> s.table == table).toList();
    }

    /** The service with this stub number, or null. */
    public static EfiService byNumber(long number) {
        return number >= 0 && number < values().length ? values()[(int) number] : null;
    }

    /** The specification's name: ALLOCATE_PAGES becomes AllocatePages. */
    public String specName() {
        StringBuilder out = new StringBuilder();
        for (String word : name().split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }
}
