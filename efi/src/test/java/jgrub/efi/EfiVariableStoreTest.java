package jgrub.efi;

import static jgrub.efi.EfiVariableStore.APPEND_WRITE;
import static jgrub.efi.EfiVariableStore.BOOTSERVICE_ACCESS;
import static jgrub.efi.EfiVariableStore.NON_VOLATILE;
import static jgrub.efi.EfiVariableStore.RUNTIME_ACCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EfiVariableStoreTest {

    static final EfiGuid VENDOR = EfiGuid.GLOBAL_VARIABLE;
    static final int NV_BS_RT = NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS;

    private static long status(Executable call) {
        return assertThrows(EfiException.class, call::run).status();
    }

    interface Executable {
        void run() throws Exception;
    }

    @Test
    void setThenGet_returnsDataAndAttributes() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("SecureBoot", VENDOR, BOOTSERVICE_ACCESS | RUNTIME_ACCESS, new byte[] {0});
        EfiVariableStore.Variable v = store.get("SecureBoot", VENDOR);
        assertEquals(BOOTSERVICE_ACCESS | RUNTIME_ACCESS, v.attributes());
        assertArrayEquals(new byte[] {0}, v.data());
    }

    @Test
    void missingVariable_isNotFound() {
        assertEquals(EfiStatus.NOT_FOUND, status(() -> new EfiVariableStore().get("SecureBoot", VENDOR)));
    }

    @Test
    void runtimeWithoutBootServiceAccess_isInvalid() {
        assertEquals(EfiStatus.INVALID_PARAMETER,
                status(() -> new EfiVariableStore().set("X", VENDOR, RUNTIME_ACCESS, new byte[] {1})));
    }

    @Test
    void emptyData_deletes_andDeletingNothing_isNotFound() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("X", VENDOR, NV_BS_RT, new byte[] {1});
        store.set("X", VENDOR, NV_BS_RT, new byte[0]);
        assertEquals(EfiStatus.NOT_FOUND, status(() -> store.get("X", VENDOR)));
        assertEquals(EfiStatus.NOT_FOUND, status(() -> store.set("X", VENDOR, NV_BS_RT, new byte[0])));
    }

    @Test
    void appendWrite_appends() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("X", VENDOR, NV_BS_RT, new byte[] {1});
        store.set("X", VENDOR, NV_BS_RT | APPEND_WRITE, new byte[] {2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, store.get("X", VENDOR).data());
    }

    @Test
    void changedAttributes_areInvalid() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("X", VENDOR, NV_BS_RT, new byte[] {1});
        assertEquals(EfiStatus.INVALID_PARAMETER,
                status(() -> store.set("X", VENDOR, BOOTSERVICE_ACCESS, new byte[] {2})));
    }

    @Test
    void enumeration_visitsEachOnce_thenNotFound_andUnknownNameIsInvalid() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("A", VENDOR, NV_BS_RT, new byte[] {1});
        store.set("B", EfiGuid.LOADED_IMAGE, BOOTSERVICE_ACCESS, new byte[] {2});
        EfiVariableStore.Key first = store.next("", VENDOR);
        assertEquals(new EfiVariableStore.Key("A", VENDOR), first);
        EfiVariableStore.Key second = store.next(first.name(), first.vendor());
        assertEquals("B", second.name());
        assertEquals(EfiStatus.NOT_FOUND, status(() -> store.next(second.name(), second.vendor())));
        assertEquals(EfiStatus.INVALID_PARAMETER, status(() -> store.next("Nope", VENDOR)));
    }

    @Test
    void afterExitBootServices_onlyRuntimeVariablesExist_andOnlyNonVolatileOnesCanBeSet() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("Boot", VENDOR, BOOTSERVICE_ACCESS, new byte[] {1});
        store.set("Run", VENDOR, NV_BS_RT, new byte[] {2});
        store.exitBootServices();
        assertEquals(EfiStatus.NOT_FOUND, status(() -> store.get("Boot", VENDOR)));
        assertEquals("Run", store.next("", VENDOR).name());
        assertEquals(EfiStatus.INVALID_PARAMETER,
                status(() -> store.set("Volatile", VENDOR, BOOTSERVICE_ACCESS | RUNTIME_ACCESS, new byte[] {3})));
        store.set("Run", VENDOR, NV_BS_RT, new byte[] {4});
        assertArrayEquals(new byte[] {4}, store.get("Run", VENDOR).data());
    }

    @Test
    void fullStore_isOutOfResources_andQueryReportsTheRemainder() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        long[] before = store.query(BOOTSERVICE_ACCESS);
        store.set("Big", VENDOR, NV_BS_RT, new byte[30_000]);
        long[] after = store.query(BOOTSERVICE_ACCESS);
        assertEquals(before[1] - 30_000 - 8, after[1]);
        store.set("Big2", VENDOR, NV_BS_RT, new byte[30_000]);
        assertEquals(EfiStatus.OUT_OF_RESOURCES,
                status(() -> store.set("Big3", VENDOR, NV_BS_RT, new byte[30_000])));
        assertEquals(EfiStatus.INVALID_PARAMETER, status(() -> store.query(0)));
    }

    @Test
    void nonVolatileVariables_surviveSaveAndLoad_volatileOnesDoNot() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("Kept", VENDOR, NV_BS_RT, new byte[] {7, 8});
        store.set("Lost", VENDOR, BOOTSERVICE_ACCESS, new byte[] {9});
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        store.save(file);
        EfiVariableStore loaded = EfiVariableStore.load(new ByteArrayInputStream(file.toByteArray()), "vars");
        assertArrayEquals(new byte[] {7, 8}, loaded.get("Kept", VENDOR).data());
        assertEquals(EfiStatus.NOT_FOUND, status(() -> loaded.get("Lost", VENDOR)));
    }

    @Test
    void damagedVariableFile_isReportedByName() throws Exception {
        EfiVariableStore store = new EfiVariableStore();
        store.set("Kept", VENDOR, NV_BS_RT, new byte[] {7, 8});
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        store.save(file);
        byte[] bytes = file.toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        IOException e = assertThrows(IOException.class,
                () -> EfiVariableStore.load(new ByteArrayInputStream(truncated), "vars.bin"));
        assertEquals("vars.bin: truncated EFI variable file", e.getMessage());
        bytes[0] = 0;
        IOException magic = assertThrows(IOException.class,
                () -> EfiVariableStore.load(new ByteArrayInputStream(bytes), "vars.bin"));
        assertEquals("vars.bin: not a jgrub EFI variable file (bad magic or version)", magic.getMessage());
    }
}
