package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        h.efi.imageLoader(new FakeImages());
        Map<String, Long> wild = wildValues(h);
        long buffer = h.alloc(0x2000);
        Map<String, long[]> guarded = guarded(h);
        int positions = service.arguments() < 0 ? 8 : Math.max(service.arguments(), 1);
        List<String> failures = new ArrayList<>();
        for (int position = 0; position < positions; position++) {
            for (Map.Entry<String, Long> value : wild.entrySet()) {
                long[] args = new long[positions];
                Arrays.fill(args, buffer);
                if (service.arguments() < 0) {
                    args[positions - 1] = 0; // the NULL that ends the variadic list
                }
                args[position] = value.getValue();
                h.guest.write(buffer, new byte[0x2000]);
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
