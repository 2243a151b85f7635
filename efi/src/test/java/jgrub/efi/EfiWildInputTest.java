package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every service a guest can call survives wild input (project issue 13): each argument position of each service, in
 * turn, gets a pointer outside guest RAM, one into jgrub's own tables, stubs and pools, an unaligned one, one that
 * overlaps the other arguments, and absurd sizes, the other arguments pointing at a valid zeroed buffer. Every call
 * must answer an EFI status, leave no internal error in the trace, and leave jgrub's stubs, service tables and system
 * table byte for byte as they were, unless the service exists to write there. Unlike {@link EfiDispatcherFuzzTest},
 * nothing is random: a failure names the service, the position and the value.
 */
class EfiWildInputTest {

    /**
     * Services left out, each with why: they end the run or the boot services, wait on the host clock for as long as
     * an argument says, or are not guest-callable table entries.
     */
    static final Set<EfiService> SKIPPED = Set.of(EfiService.EXIT_BOOT_SERVICES, EfiService.STALL,
            EfiService.WAIT_FOR_EVENT, EfiService.RESET_SYSTEM, EfiService.IMAGE_RETURNED,
            EfiService.NESTED_IMAGE_RETURNED, EfiService.NOTIFY_RETURNED, EfiService.SET_VIRTUAL_ADDRESS_MAP);

    /** Services whose answer in RAX is not an EFI_STATUS. */
    static final Set<EfiService> NOT_A_STATUS = Set.of(EfiService.RAISE_TPL, EfiService.DEVICE_PATH_TO_TEXT,
            EfiService.DEVICE_NODE_TO_TEXT);

    /** Services meant to write where the guest says, jgrub's tables included (a guest may patch its tables). */
    static final Set<EfiService> WRITE_ANYWHERE = Set.of(EfiService.COPY_MEM, EfiService.SET_MEM);

    @ParameterizedTest
    @EnumSource(EfiService.class)
    void everyArgumentPosition_withWildValues_answersAStatus_andLeavesJgrubsTablesAlone(EfiService service)
            throws Exception {
        if (SKIPPED.contains(service)) {
            return;
        }
        EfiHarness h = new EfiHarness();
        long buffer = h.alloc(0x2000);
        int positions = service.arguments() < 0 ? 8 : Math.max(service.arguments(), 1);
        long[] baseline = new long[positions];
        Arrays.fill(baseline, buffer);
        if (service.arguments() < 0) {
            baseline[positions - 1] = 0; // the NULL that ends the variadic list
        }
        survey(h, service, baseline);
    }

    /**
     * The same with the other arguments valid (what a correct caller passes), so that a service gets as far as
     * writing its outputs before it meets the one wild argument.
     */
    @ParameterizedTest
    @EnumSource(EfiService.class)
    void everyArgumentPosition_ofAnOtherwiseValidCall_withWildValues_leavesJgrubsTablesAlone(EfiService service)
            throws Exception {
        EfiHarness h = new EfiHarness();
        long[] baseline = validCall(h, service);
        if (baseline != null) {
            survey(h, service, baseline);
        }
    }

    /** Arguments a correct caller would pass, or null for services this test gives only the zeroed baseline. */
    static long[] validCall(EfiHarness h, EfiService service) throws Exception {
        long li = h.guid(EfiGuid.LOADED_IMAGE);
        long fresh = h.guid(EfiGuid.parse("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"));
        long buffer = h.alloc(0x4000);
        EfiDevicePath file = h.efi.protocols.devicePath(h.esp)
                .append(new EfiDevicePath.FilePath("\\EFI\\xen\\xen.cfg"));
        long path = h.alloc(file.encode().length);
        h.guest.write(path, file.encode());
        return switch (service) {
            case ALLOCATE_PAGES -> new long[] {0, 2, 1, h.u64(0)};
            case GET_MEMORY_MAP -> new long[] {h.u64(0x4000), buffer, h.u64(0), h.u64(0), h.u64(0)};
            case ALLOCATE_POOL -> new long[] {2, 64, h.u64(0)};
            case CREATE_EVENT -> new long[] {0, 0, 0, 0, h.u64(0)};
            case CREATE_EVENT_EX -> new long[] {0, 0, 0, 0, fresh, h.u64(0)};
            case HANDLE_PROTOCOL -> new long[] {h.image, li, h.u64(0)};
            case LOCATE_HANDLE -> new long[] {2, li, 0, h.u64(0x100), buffer};
            case LOCATE_DEVICE_PATH -> new long[] {h.guid(EfiGuid.SIMPLE_FILE_SYSTEM), h.u64(path), h.u64(0)};
            case INSTALL_PROTOCOL_INTERFACE -> new long[] {h.u64(0), fresh, 0, 0x1234};
            case INSTALL_MULTIPLE_PROTOCOL_INTERFACES -> new long[] {h.u64(0), fresh, 0x1234, 0};
            case OPEN_PROTOCOL -> new long[] {h.image, li, h.u64(0), h.image, 0, 2};
            case OPEN_PROTOCOL_INFORMATION -> new long[] {h.image, li, h.u64(0), h.u64(0)};
            case PROTOCOLS_PER_HANDLE -> new long[] {h.image, h.u64(0), h.u64(0)};
            case LOCATE_HANDLE_BUFFER -> new long[] {2, li, 0, h.u64(0), h.u64(0)};
            case LOCATE_PROTOCOL -> new long[] {li, 0, h.u64(0)};
            case LOAD_IMAGE -> {
                byte[] image = FakeImages.image(FakeImages.APPLICATION, 0x1000);
                long source = h.alloc(image.length);
                h.guest.write(source, image);
                yield new long[] {0, h.image, 0, source, image.length, h.u64(0)};
            }
            case GET_NEXT_MONOTONIC_COUNT, GET_NEXT_HIGH_MONOTONIC_COUNT -> new long[] {h.u64(0)};
            case CALCULATE_CRC32 -> new long[] {buffer, 16, h.u64(0)};
            case GET_TIME -> new long[] {h.u64(0), h.u64(0)};
            case GET_WAKEUP_TIME -> new long[] {h.u64(0), h.u64(0), h.u64(0)};
            case GET_VARIABLE -> {
                long name = h.ucs2("JgrubWild");
                h.call(EfiService.SET_VARIABLE, name, fresh, 6, 4, h.u64(0x12345678));
                yield new long[] {name, fresh, h.u64(0), h.u64(0x100), buffer};
            }
            case GET_NEXT_VARIABLE_NAME -> new long[] {h.u64(0x100), buffer, h.u64(0)};
            case QUERY_VARIABLE_INFO -> new long[] {6, h.u64(0), h.u64(0), h.u64(0)};
            case TEXT_QUERY_MODE -> new long[] {h.systemTable().getLong(EfiTables.ST_CON_OUT), 0, h.u64(0), h.u64(0)};
            case FS_OPEN_VOLUME -> {
                long fs = h.u64(0);
                h.call(EfiService.HANDLE_PROTOCOL, h.esp, h.guid(EfiGuid.SIMPLE_FILE_SYSTEM), fs);
                yield new long[] {h.readU64(fs), h.u64(0)};
            }
            case FILE_OPEN -> new long[] {h.openRoot(), h.u64(0), h.ucs2("\\EFI\\xen\\xen.cfg"), 1, 0};
            case FILE_READ, FILE_GET_INFO, FILE_GET_POSITION -> {
                long out = h.u64(0);
                h.call(EfiService.FILE_OPEN, h.openRoot(), out, h.ucs2("\\EFI\\xen\\xen.cfg"), 1, 0);
                long opened = h.readU64(out);
                yield switch (service) {
                    case FILE_READ -> new long[] {opened, h.u64(16), buffer};
                    case FILE_GET_INFO -> new long[] {opened, h.guid(EfiGuid.FILE_INFO), h.u64(0x200), buffer};
                    default -> new long[] {opened, h.u64(0)};
                };
            }
            case RNG_GET_RNG, RNG_GET_INFO -> {
                long out = h.u64(0);
                h.call(EfiService.LOCATE_PROTOCOL, h.guid(EfiGuid.RNG), 0, out);
                yield service == EfiService.RNG_GET_RNG ? new long[] {h.readU64(out), 0, 16, buffer}
                        : new long[] {h.readU64(out), h.u64(0x100), buffer};
            }
            case MEMORY_GET_ATTRIBUTES -> {
                long out = h.u64(0);
                h.call(EfiService.LOCATE_PROTOCOL, h.guid(EfiGuid.MEMORY_ATTRIBUTE), 0, out);
                yield new long[] {h.readU64(out), 0x1000000, 0x1000, h.u64(0)};
            }
            case DEVICE_PATH_TO_TEXT -> new long[] {path, 0, 0};
            default -> null;
        };
    }

    /** Calls {@code service} with each position of {@code baseline} in turn replaced by each wild value. */
    private static void survey(EfiHarness h, EfiService service, long[] baseline) throws Exception {
        h.efi.imageLoader(new FakeImages());
        Map<String, Long> wild = wildValues(h);
        Map<String, long[]> guarded = guarded(h);
        byte[] scratch = h.guest.read(EfiHarness.SCRATCH, SCRATCH_IN_USE);
        List<String> failures = new ArrayList<>();
        for (int position = 0; position < baseline.length; position++) {
            for (Map.Entry<String, Long> value : wild.entrySet()) {
                long[] args = baseline.clone();
                args[position] = value.getValue();
                h.guest.write(EfiHarness.SCRATCH, scratch); // inputs as the baseline had them
                Map<String, byte[]> before = snapshot(h, guarded);
                int traced = h.trace.size();
                long result = h.call(service, args);
                String what = service.specName() + " argument " + position + " = " + value.getKey();
                if (!NOT_A_STATUS.contains(service) && (result & Long.MAX_VALUE) > 0x40) {
                    failures.add(what + ": answered 0x" + Long.toHexString(result) + ", not an EFI_STATUS");
                }
                for (String line : h.trace.subList(traced, h.trace.size())) {
                    if (line.contains("internal error")) {
                        failures.add(what + ": " + line);
                    }
                }
                Map<String, byte[]> after = snapshot(h, guarded);
                for (String region : before.keySet()) {
                    if (!Arrays.equals(before.get(region), after.get(region)) && !meantToWrite(service, region)) {
                        failures.add(what + ": changed jgrub's " + region + " (" + EfiStatus.name(result) + ")");
                    }
                    h.guest.write(guarded.get(region)[0], before.get(region)); // what CopyMem or SetMem changed
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** How much of the harness's scratch region the baselines use, restored before each call. */
    static final int SCRATCH_IN_USE = 0x20000;

    @Test
    void outputsIntoJgrubsOwnMemory_areRefused_butAfterExitBootServices_theBootArenaIsTheOsToWrite() throws Exception {
        EfiHarness h = new EfiHarness();
        long bootTable = h.efi.bootServicesTable;
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GET_TIME, bootTable, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GET_TIME, h.efi.stubCode() + 0x10, 0));
        long source = h.u64(0x1122334455667788L);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.COPY_MEM, bootTable + 0x18, source, 8),
                "CopyMem writes where it is told: a guest may patch its tables");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT_BOOT_SERVICES, h.image, h.efi.memoryMap().mapKey()));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_TIME, bootTable, 0), "the boot arena is the OS's now");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.GET_TIME, h.efi.systemTable(), 0),
                "the system table stays jgrub's");
    }

    private static boolean meantToWrite(EfiService service, String region) {
        return WRITE_ANYWHERE.contains(service)
                || service == EfiService.INSTALL_CONFIGURATION_TABLE && region.startsWith("system table");
    }

    /** Named wild values: outside RAM, inside jgrub's own regions, unaligned, absurd sizes. */
    static Map<String, Long> wildValues(EfiHarness h) throws EfiException {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("NULL", 0L);
        out.put("1", 1L);
        out.put("end of RAM", (long) EfiHarness.RAM);
        out.put("4 bytes before the end of RAM", EfiHarness.RAM - 4L);
        out.put("-1", -1L);
        out.put("2^63", Long.MIN_VALUE);
        out.put("2^63 - 1", Long.MAX_VALUE);
        out.put("2^52", 1L << 52);
        out.put("0xfffff000 (MMIO)", 0xfffff000L);
        out.put("the system table", h.efi.systemTable());
        out.put("the boot services table", h.efi.bootServicesTable);
        out.put("the runtime services table", h.efi.runtimeServicesTable);
        out.put("the configuration tables", h.efi.configurationTables);
        out.put("the stubs", h.efi.stubCode());
        out.put("the mailbox", h.efi.mailbox());
        out.put("ConOut", h.systemTable().getLong(EfiTables.ST_CON_OUT));
        out.put("the image handle", h.image);
        out.put("the ESP handle", h.esp);
        out.put("a pool jgrub handed out", h.efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(), 64));
        out.put("unaligned scratch", EfiHarness.SCRATCH + 0x8001);
        out.put("0x40000000 (a size)", 0x40000000L);
        return out;
    }

    /** jgrub's stubs, service tables, system table and configuration table array: [address, length] by name. */
    static Map<String, long[]> guarded(EfiHarness h) throws EfiException {
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("stubs", new long[] {h.efi.stubCode(), EfiMemoryMap.PAGE});
        out.put("boot services table", new long[] {h.efi.bootServicesTable,
            EfiTables.serviceTableSize(EfiService.Table.BOOT)});
        out.put("runtime services table", new long[] {h.efi.runtimeServicesTable,
            EfiTables.serviceTableSize(EfiService.Table.RUNTIME)});
        out.put("system table", new long[] {h.efi.systemTable(), EfiTables.SYSTEM_TABLE_SIZE});
        out.put("system table's configuration tables", new long[] {h.efi.configurationTables,
            (long) EfiTables.CONFIGURATION_ENTRY_SIZE * EfiTables.MAX_CONFIGURATION_TABLES});
        out.put("ConOut's functions", new long[] {h.systemTable().getLong(EfiTables.ST_CON_OUT), 0x48});
        return out;
    }

    private static Map<String, byte[]> snapshot(EfiHarness h, Map<String, long[]> regions) throws EfiException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> r : regions.entrySet()) {
            out.put(r.getKey(), h.guest.read(r.getValue()[0], (int) r.getValue()[1]));
        }
        return out;
    }
}
