package jgrub.efi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class EfiSystemTest {

    static int crcWithFieldZeroed(ByteBuffer table) {
        int size = table.getInt(12);
        byte[] bytes = new byte[size];
        table.duplicate().position(0).get(bytes);
        for (int i = 16; i < 20; i++) {
            bytes[i] = 0;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    @Test
    void systemTable_hasSignatureRevisionVendorAndValidCrcs() throws Exception {
        EfiHarness h = new EfiHarness();
        ByteBuffer st = h.systemTable();
        assertEquals(0x5453595320494249L, st.getLong(0));
        assertEquals((2 << 16) | 70, st.getInt(8));
        assertEquals(crcWithFieldZeroed(st), st.getInt(16));
        assertEquals("jgrub", h.guest.readUcs2(st.getLong(EfiTables.ST_FIRMWARE_VENDOR), 64));

        long bs = st.getLong(EfiTables.ST_BOOT_SERVICES);
        ByteBuffer bootServices = h.memory.slice(bs, EfiTables.serviceTableSize(EfiService.Table.BOOT));
        assertEquals(0x56524553544f4f42L, bootServices.getLong(0));
        assertEquals(crcWithFieldZeroed(bootServices), bootServices.getInt(16));
        // AllocatePages is the third pointer (section 4.4): it must lead to that service's stub.
        assertEquals(h.efi.stubCode() + EfiStubs.entry(EfiService.ALLOCATE_PAGES.ordinal()),
                bootServices.getLong(24 + 2 * 8));
        assertEquals(24 + 44 * 8, bootServices.getInt(12), "44 boot services");

        ByteBuffer rt = h.memory.slice(st.getLong(EfiTables.ST_RUNTIME_SERVICES), 24 + 14 * 8);
        assertEquals(0x56524553544e5552L, rt.getLong(0));
        assertEquals(crcWithFieldZeroed(rt), rt.getInt(16));
    }

    @Test
    void runtimeStubsAndTables_areInRuntimeMemory_soTheyOutliveExitBootServices() throws Exception {
        EfiHarness h = new EfiHarness();
        EfiMemoryMap map = h.efi.memoryMap();
        assertTrue(map.isType(h.efi.stubCode(), h.efi.stubCode() + 4096, EfiMemoryType.RUNTIME_SERVICES_CODE.code()));
        assertTrue(map.isType(h.efi.mailbox(), h.efi.mailbox() + 4096, EfiMemoryType.RUNTIME_SERVICES_DATA.code()));
        assertTrue(map.isType(h.efi.systemTable(), h.efi.systemTable() + 120,
                EfiMemoryType.RUNTIME_SERVICES_DATA.code()));
        assertEquals(h.efi.stubCode() + 4096, h.efi.mailbox(), "the stubs find their mailbox RIP-relative");
    }

    @Test
    void getMemoryMap_tooSmall_thenExitBootServices_withStaleKeyFails_andWithCurrentKeySucceeds() throws Exception {
        EfiHarness h = new EfiHarness();
        long size = h.u64(0);
        long key = h.u64(0);
        long descriptorSize = h.u64(0);
        long version = h.u64(0);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL,
                h.call(EfiService.GET_MEMORY_MAP, size, 0, key, descriptorSize, version));
        long needed = h.readU64(size);
        assertEquals(0, needed % 48);
        assertEquals(48, h.readU64(descriptorSize));
        long buffer = h.alloc((int) needed + 4 * 48);
        h.guest.writeU64(size, needed + 4 * 48);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_MEMORY_MAP, size, buffer, key, descriptorSize,
                version));
        assertEquals(needed, h.readU64(size));
        assertEquals(1, h.guest.readU32(version));
        long mapKey = h.readU64(key);

        long page = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.ALLOCATE_PAGES, 0, 2, 1, page));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.EXIT_BOOT_SERVICES, h.image, mapKey));
        h.guest.writeU64(size, needed + 4 * 48);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_MEMORY_MAP, size, buffer, key, 0, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.EXIT_BOOT_SERVICES, 0x1234, h.readU64(key)),
                "not an image handle");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT_BOOT_SERVICES, h.image, h.readU64(key)));

        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.ALLOCATE_POOL, 2, 16, h.u64(0)), "boot services gone");
        assertEquals(0, h.systemTable().getLong(EfiTables.ST_BOOT_SERVICES));
        long time = h.alloc(16);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_TIME, time, 0), "runtime services stay");
        assertTrue(h.guest.read(time, 2)[1] == (byte) 0x07, "a year in the 2000s");
    }

    @Test
    void allocatePages_maxAddress_readsTheLimitFromTheGuest() throws Exception {
        EfiHarness h = new EfiHarness();
        long memory = h.u64(0xfffff);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.ALLOCATE_PAGES, 1, 2, 4, memory));
        long address = h.readU64(memory);
        assertTrue(address + 4 * 4096 <= 0x100000 && address % 4096 == 0, Long.toHexString(address));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.ALLOCATE_PAGES, 7, 2, 1, memory));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.ALLOCATE_PAGES, 0, 2, 1, 0));
    }

    @Test
    void loadedImage_describesTheImage_itsDevice_path_andOptions() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, h.image, h.guid(EfiGuid.LOADED_IMAGE),
                iface));
        ByteBuffer li = h.memory.slice(h.readU64(iface), 96);
        assertEquals(0x1000, li.getInt(0));
        assertEquals(h.efi.systemTable(), li.getLong(16));
        assertEquals(h.esp, li.getLong(24), "DeviceHandle is the ESP's handle");
        EfiDevicePath path = EfiDevicePath.decode(h.memory.slice(li.getLong(32), 64));
        assertEquals("\\EFI\\xen\\xen.efi", path.text(), "FilePath holds only media file-path nodes");
        assertEquals("xen.efi console=com1", h.guest.readUcs2(li.getLong(56), 100));
        assertEquals(2 * ("xen.efi console=com1".length() + 1), li.getInt(48));
        assertEquals(0x1000000, li.getLong(64));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.HANDLE_PROTOCOL, h.image, h.guid(EfiGuid.BLOCK_IO),
                iface));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.HANDLE_PROTOCOL, 0xdead0, h.guid(
                EfiGuid.LOADED_IMAGE), iface));
    }

    /** What xen.efi does to read xen.cfg: OpenVolume, Open, SetPosition(-1), GetPosition, SetPosition(0), Read. */
    @Test
    void fileProtocol_readsAFileTheWayXenDoes() throws Exception {
        EfiHarness h = new EfiHarness();
        long root = h.u64(h.openRoot());
        long file = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_OPEN, h.readU64(root), file,
                h.ucs2("\\EFI\\xen\\XEN.CFG"), 1, 0), "case-insensitive, backslashes");
        long f = h.readU64(file);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_SET_POSITION, f, -1));
        long position = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_GET_POSITION, f, position));
        int size = EfiHarness.XEN_CFG.length();
        assertEquals(size, h.readU64(position), "SetPosition(-1) goes to the end of the file");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_SET_POSITION, f, 0));
        long buffer = h.alloc(size + 100);
        long count = h.u64(size + 100);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, f, count, buffer));
        assertEquals(size, h.readU64(count));
        assertEquals(EfiHarness.XEN_CFG, new String(h.guest.read(buffer, size), StandardCharsets.US_ASCII));
        h.guest.writeU64(count, 10);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, f, count, buffer));
        assertEquals(0, h.readU64(count), "reading at the end gives 0 bytes");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_SET_POSITION, f, size + 5));
        assertEquals(EfiStatus.DEVICE_ERROR, h.call(EfiService.FILE_READ, f, count, buffer), "past the end");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_CLOSE, f));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.FILE_READ, f, count, buffer), "closed");
    }

    @Test
    void fileProtocol_relativeOpen_missingFiles_writes_andInfo() throws Exception {
        EfiHarness h = new EfiHarness();
        long root = h.u64(h.openRoot());
        long dir = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_OPEN, h.readU64(root), dir, h.ucs2("EFI\\xen"), 1, 0));
        long file = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_OPEN, h.readU64(dir), file, h.ucs2("vmlinuz"), 1, 0));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.FILE_OPEN, h.readU64(dir), file, h.ucs2("nope"), 1, 0));
        assertEquals(EfiStatus.WRITE_PROTECTED, h.call(EfiService.FILE_OPEN, h.readU64(dir), file,
                h.ucs2("new"), 0x8000000000000003L, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.FILE_OPEN, h.readU64(dir), file, h.ucs2("x"), 4,
                0));
        h.call(EfiService.FILE_OPEN, h.readU64(dir), file, h.ucs2("vmlinuz"), 1, 0);

        long size = h.u64(0);
        long infoType = h.guid(EfiGuid.FILE_INFO);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.FILE_GET_INFO, h.readU64(file), infoType, size, 0));
        assertEquals(80 + 2 * ("vmlinuz".length() + 1), h.readU64(size));
        long info = h.alloc((int) h.readU64(size));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_GET_INFO, h.readU64(file), infoType, size, info));
        assertEquals(3 << 20, h.guest.readU64(info + 8), "FileSize");
        assertEquals("vmlinuz", h.guest.readUcs2(info + 80, 64));

        long count = h.u64(1000);
        long entry = h.alloc(1000);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, h.readU64(dir), count, entry));
        assertEquals("vmlinuz", h.guest.readUcs2(entry + 80, 64), "directory reads list entries");
        h.guest.writeU64(count, 1000);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, h.readU64(dir), count, entry));
        assertEquals("xen.cfg", h.guest.readUcs2(entry + 80, 64));
        h.guest.writeU64(count, 1000);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, h.readU64(dir), count, entry));
        assertEquals(0, h.readU64(count), "end of directory");

        long fsInfoSize = h.u64(200);
        long fsInfo = h.alloc(200);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_GET_INFO, h.readU64(root),
                h.guid(EfiGuid.FILE_SYSTEM_INFO), fsInfoSize, fsInfo));
        assertEquals(1, h.guest.read(fsInfo + 8, 1)[0], "ReadOnly");
        assertEquals("JGRUB-ESP", h.guest.readUcs2(fsInfo + 36, 64));
        assertEquals(EfiStatus.ACCESS_DENIED, h.call(EfiService.FILE_WRITE, h.readU64(file), count, entry),
                "section 13.5: the file was opened read only (as OVMF answers: EfiSelfTestTest)");
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.FILE_WRITE, h.readU64(dir), count, entry),
                "section 13.5: writes to open directory files");
    }

    @Test
    void largeRead_landsWhole() throws Exception {
        EfiHarness h = new EfiHarness();
        long root = h.u64(h.openRoot());
        long file = h.u64(0);
        h.call(EfiService.FILE_OPEN, h.readU64(root), file, h.ucs2("/EFI/xen/vmlinuz"), 1, 0);
        long pages = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.ALLOCATE_PAGES, 0, 2, 768, pages));
        long count = h.u64(3 << 20);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.FILE_READ, h.readU64(file), count, h.readU64(pages)));
        byte[] got = h.guest.read(h.readU64(pages), 3 << 20);
        for (int i = 0; i < got.length; i += 4099) {
            assertEquals((byte) (i * 7), got[i]);
        }
    }

    @Test
    void variables_throughRuntimeServices_reportSizesFirst() throws Exception {
        EfiHarness h = new EfiHarness();
        long name = h.ucs2("SecureBoot");
        long vendor = h.guid(EfiGuid.GLOBAL_VARIABLE);
        long size = h.u64(0);
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.GET_VARIABLE, name, vendor, 0, size, 0),
                "no Secure Boot variable: Xen then boots without shim checks");
        long data = h.alloc(8);
        h.guest.write(data, new byte[] {1});
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_VARIABLE, name, vendor, 6, 1, data));
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.GET_VARIABLE, name, vendor, 0, size, 0));
        assertEquals(1, h.readU64(size));
        long attributes = h.u64(0);
        long out = h.alloc(8);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_VARIABLE, name, vendor, attributes, size, out));
        assertArrayEquals(new byte[] {1}, h.guest.read(out, 1));
        assertEquals(6, h.guest.readU32(attributes));

        long nameSize = h.u64(4);
        long nameBuffer = h.alloc(64);
        h.guest.writeUcs2(nameBuffer, "");
        long vendorOut = h.alloc(16);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.GET_NEXT_VARIABLE_NAME, nameSize, nameBuffer,
                vendorOut));
        assertEquals(22, h.readU64(nameSize));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.GET_NEXT_VARIABLE_NAME, nameSize, nameBuffer, vendorOut));
        assertEquals("SecureBoot", h.guest.readUcs2(nameBuffer, 32));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.GET_NEXT_VARIABLE_NAME, h.u64(64), nameBuffer,
                vendorOut));

        long max = h.u64(0);
        long remaining = h.u64(0);
        long maxVar = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.QUERY_VARIABLE_INFO, 7, max, remaining, maxVar));
        assertTrue(h.readU64(remaining) < h.readU64(max));
    }

    @Test
    void locateHandle_byProtocol_findsDiskAndPartition_andLocateDevicePath_picksTheLongestMatch() throws Exception {
        EfiHarness h = new EfiHarness();
        long size = h.u64(0);
        long blockIo = h.guid(EfiGuid.BLOCK_IO);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.LOCATE_HANDLE, 2, blockIo, 0, size, 0));
        assertEquals(16, h.readU64(size));
        long buffer = h.alloc(16);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_HANDLE, 2, blockIo, 0, size, buffer));
        assertEquals(h.esp, h.readU64(buffer + 8));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_HANDLE, 2, h.guid(EfiGuid.GRAPHICS_OUTPUT), 0,
                size, buffer), "no GOP: Xen goes on without a framebuffer");

        long imagePath = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, h.image,
                h.guid(EfiGuid.LOADED_IMAGE_DEVICE_PATH), imagePath));
        long path = h.u64(h.readU64(imagePath));
        long device = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_DEVICE_PATH, h.guid(EfiGuid.SIMPLE_FILE_SYSTEM),
                path, device));
        assertEquals(h.esp, h.readU64(device));
        EfiDevicePath rest = EfiDevicePath.decode(h.memory.slice(h.readU64(path), 64));
        assertEquals("\\EFI\\xen\\xen.efi", rest.text(), "what remains is the file path");
    }

    @Test
    void installProtocols_openAndClose_trackAgents() throws Exception {
        EfiHarness h = new EfiHarness();
        long handle = h.u64(0);
        EfiGuid mine = EfiGuid.parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE");
        long guid = h.guid(mine);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_MULTIPLE_PROTOCOL_INTERFACES, handle, guid, 0x1234,
                h.guid(EfiGuid.DISK_IO), 0x5678, 0));
        long created = h.readU64(handle);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INSTALL_PROTOCOL_INTERFACE, handle, guid, 0, 1),
                "section 7.3: already installed on the handle");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.INSTALL_MULTIPLE_PROTOCOL_INTERFACES, handle,
                h.guid(EfiGuid.DISK_IO), 0x5678, 0));
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.OPEN_PROTOCOL, created, guid, iface, h.image, 0, 1));
        assertEquals(0x1234, h.readU64(iface));
        assertEquals(EfiStatus.ACCESS_DENIED, h.call(EfiService.UNINSTALL_PROTOCOL_INTERFACE, created, guid, 0x1234));
        long entries = h.u64(0);
        long count = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.OPEN_PROTOCOL_INFORMATION, created, guid, entries, count));
        assertEquals(1, h.readU64(count));
        assertEquals(h.image, h.readU64(h.readU64(entries)));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CLOSE_PROTOCOL, created, guid, h.image, 0));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.CLOSE_PROTOCOL, created, guid, h.image, 0));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.UNINSTALL_PROTOCOL_INTERFACE, created, guid, 0x1234));
        long protocols = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.PROTOCOLS_PER_HANDLE, created, protocols, count));
        assertEquals(1, h.readU64(count));
        assertEquals(EfiGuid.DISK_IO, h.guest.readGuid(h.readU64(h.readU64(protocols))));
    }

    @Test
    void registerProtocolNotify_signalsItsEvent_onEachInstall_andHandsTheNewHandlesOutOneAtATime() throws Exception {
        EfiHarness h = new EfiHarness();
        long guid = h.guid(EfiGuid.parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEE4"));
        long out = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CREATE_EVENT, 0, 0, 0, 0, out));
        long event = h.readU64(out);
        long registration = h.u64(0);
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.REGISTER_PROTOCOL_NOTIFY, guid, event, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.REGISTER_PROTOCOL_NOTIFY, guid, 0x1234,
                registration), "not an event");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.REGISTER_PROTOCOL_NOTIFY, guid, event, registration));
        long key = h.readU64(registration);
        long size = h.u64(8);
        long buffer = h.u64(0);
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_HANDLE, 1, 0, key, size, buffer));
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, event));
        long first = h.u64(0);
        long second = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_PROTOCOL_INTERFACE, first, guid, 0, 0x1000));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_PROTOCOL_INTERFACE, second, guid, 0, 0x2000));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CHECK_EVENT, event), "signalled by the installs");
        h.guest.writeU64(size, 0);
        assertEquals(EfiStatus.BUFFER_TOO_SMALL, h.call(EfiService.LOCATE_HANDLE, 1, 0, key, size, buffer));
        assertEquals(8, h.readU64(size), "one handle at a time");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_HANDLE, 1, 0, key, size, buffer));
        assertEquals(h.readU64(first), h.readU64(buffer), "the first, still: BUFFER_TOO_SMALL took nothing");
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.LOCATE_PROTOCOL, guid, key, iface));
        assertEquals(0x2000, h.readU64(iface));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_PROTOCOL, guid, key, iface), "all handed out");
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.LOCATE_HANDLE, 1, 0, 0, size, buffer),
                "ByRegisterNotify needs its SearchKey");
    }

    /** Answers section 7.3 fixes, where OVMF and jgrub once differed (EfiSelfTestTest found them). */
    @Test
    void closeProtocolOfAnAbsentProtocol_isNotFound_andUninstallMultipleWithAWrongInterface_isInvalidAndKeepsAll()
            throws Exception {
        EfiHarness h = new EfiHarness();
        long handle = h.u64(0);
        long a = h.guid(EfiGuid.parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEE1"));
        long b = h.guid(EfiGuid.parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEE2"));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_MULTIPLE_PROTOCOL_INTERFACES, handle, a, 0x1000, b,
                0x2000, 0));
        long created = h.readU64(handle);
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.CLOSE_PROTOCOL, created,
                h.guid(EfiGuid.parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEE3")), h.image, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.UNINSTALL_MULTIPLE_PROTOCOL_INTERFACES, created,
                a, 0x1000, b, 0x9999, 0));
        long iface = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.HANDLE_PROTOCOL, created, a, iface), "nothing removed");
        assertEquals(0x1000, h.readU64(iface));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.UNINSTALL_MULTIPLE_PROTOCOL_INTERFACES, created, a, 0x1000,
                b, 0x2000, 0));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.HANDLE_PROTOCOL, created, a, iface),
                "the handle went with its last protocol");
    }

    @Test
    void configurationTable_installReplaceDelete_updatesTheSystemTable() throws Exception {
        EfiHarness h = new EfiHarness();
        long before = h.systemTable().getLong(EfiTables.ST_NUMBER_OF_TABLE_ENTRIES);
        long guid = h.guid(EfiGuid.parse("12345678-1234-1234-1234-123456789ABC"));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_CONFIGURATION_TABLE, guid, 0x9000));
        assertEquals(before + 1, h.systemTable().getLong(EfiTables.ST_NUMBER_OF_TABLE_ENTRIES));
        assertEquals(crcWithFieldZeroed(h.systemTable()), h.systemTable().getInt(16));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.INSTALL_CONFIGURATION_TABLE, guid, 0));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.INSTALL_CONFIGURATION_TABLE, guid, 0));
    }

    @Test
    void timerEvent_signalsAfterItsTime_onTheHostClock() throws Exception {
        EfiHarness h = new EfiHarness();
        long event = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CREATE_EVENT, 0x80000000L, 8, 0, 0, event));
        long e = h.readU64(event);
        // Timed from before SetTimer: the timer's 20 ms run from there, and the calls between may take any part of
        // them on a loaded machine.
        long set = System.nanoTime();
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_TIMER, e, 2, 200_000)); // 20 ms
        assertEquals(EfiStatus.NOT_READY, h.call(EfiService.CHECK_EVENT, e));
        long events = h.u64(e);
        long index = h.u64(99);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.WAIT_FOR_EVENT, 1, events, index));
        assertTrue(System.nanoTime() - set >= 20_000_000L, "waited for the timer's 20 ms");
        assertEquals(0, h.readU64(index));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CLOSE_EVENT, e));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.CHECK_EVENT, e));
    }

    @Test
    void miscellaneous_crcCopyAndSetMem() throws Exception {
        EfiHarness h = new EfiHarness();
        long data = h.alloc(16);
        h.guest.write(data, "123456789".getBytes(StandardCharsets.US_ASCII));
        long crc = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.CALCULATE_CRC32, data, 9, crc));
        assertEquals(0xCBF43926, h.guest.readU32(crc), "the CRC-32 check value");
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.COPY_MEM, data + 2, data, 5), "overlapping");
        assertEquals("121234589", new String(h.guest.read(data, 9), StandardCharsets.US_ASCII));
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.SET_MEM, data, 3, 'x'));
        assertEquals("xxx234589", new String(h.guest.read(data, 9), StandardCharsets.US_ASCII));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.COPY_MEM, 0x7fff_ffff_0000L, data, 5),
                "outside guest RAM");
    }

    @Test
    void textOutput_printsOnJgrubsConsole() throws Exception {
        EfiHarness h = new EfiHarness();
        long conOut = h.systemTable().getLong(EfiTables.ST_CON_OUT);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.TEXT_OUTPUT_STRING, conOut, h.ucs2("Xen 4.17\r\n")));
        assertEquals("Xen 4.17\r\n", h.console.toString());
        long columns = h.u64(0);
        long rows = h.u64(0);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.TEXT_QUERY_MODE, conOut, 0, columns, rows));
        assertEquals(80, h.readU64(columns));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.TEXT_QUERY_MODE, conOut, 1, columns, rows));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.TEXT_OUTPUT_STRING, 0x1234, h.ucs2("x")));
    }

    @Test
    void blockIo_readsBlocks_andRefusesBadRanges() throws Exception {
        EfiHarness h = new EfiHarness();
        long iface = h.u64(0);
        h.call(EfiService.HANDLE_PROTOCOL, h.esp, h.guid(EfiGuid.BLOCK_IO), iface);
        long block = h.readU64(iface);
        long buffer = h.alloc(1024);
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.BLOCK_READ_BLOCKS, block, 1, 5, 1024, buffer));
        assertEquals(5, h.guest.read(buffer, 1)[0]);
        assertEquals(6, h.guest.read(buffer + 512, 1)[0]);
        assertEquals(EfiStatus.BAD_BUFFER_SIZE, h.call(EfiService.BLOCK_READ_BLOCKS, block, 1, 5, 100, buffer));
        assertEquals(EfiStatus.INVALID_PARAMETER, h.call(EfiService.BLOCK_READ_BLOCKS, block, 1, 8191, 1024, buffer));
        assertEquals(EfiStatus.MEDIA_CHANGED, h.call(EfiService.BLOCK_READ_BLOCKS, block, 2, 5, 512, buffer));
        assertEquals(EfiStatus.WRITE_PROTECTED, h.call(EfiService.BLOCK_WRITE_BLOCKS, block, 1, 5, 512, buffer));
    }

    @Test
    void exitAndReturn_endTheRunWithTheImagesStatus() throws Exception {
        EfiHarness h = new EfiHarness();
        assertEquals(EfiStatus.SUCCESS, h.call(EfiService.EXIT, h.image, EfiStatus.LOAD_ERROR, 0, 0));
        assertEquals(EfiStatus.LOAD_ERROR, h.efi.ending().orElseThrow().status());
        EfiHarness again = new EfiHarness();
        again.call(EfiService.IMAGE_RETURNED, 0x8000000000000003L);
        assertEquals("image returned", again.efi.ending().orElseThrow().how());
        assertEquals(EfiStatus.UNSUPPORTED, again.efi.ending().orElseThrow().status());
    }

    @Test
    void mailbox_callIsServedAndMarkedDone_strayDoorbellIsIgnored() throws Exception {
        EfiHarness h = new EfiHarness();
        h.efi.serveMailbox(); // nothing pending
        ByteBuffer box = h.memory.slice(h.efi.mailbox(), 0x48);
        assertEquals(EfiStubs.SIGNATURE, box.getInt(0));
        long out = h.u64(0);
        box.putInt(EfiStubs.MAILBOX_SERVICE, EfiService.GET_NEXT_MONOTONIC_COUNT.ordinal());
        box.putLong(EfiStubs.MAILBOX_RCX, out);
        box.putInt(EfiStubs.MAILBOX_STATUS, EfiStubs.STATUS_PENDING);
        h.efi.serveMailbox();
        assertEquals(EfiStubs.STATUS_DONE, box.getInt(EfiStubs.MAILBOX_STATUS));
        assertEquals(EfiStatus.SUCCESS, box.getLong(EfiStubs.MAILBOX_RESULT));
        assertEquals(1, h.readU64(out));
    }

    /** A protocol jgrub does not have is answered honestly (section 7.3) and the trace names it. */
    @Test
    void missingProtocols_answerNotFoundOrUnsupported_andTheTraceNamesThem() throws Exception {
        EfiHarness h = new EfiHarness();
        long out = h.u64(0);
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_PROTOCOL, h.guid(EfiGuid.GRAPHICS_OUTPUT), 0, out));
        assertTrue(h.trace.get(h.trace.size() - 1).contains("EFI_NOT_FOUND (EFI_NOT_FOUND: no handle has protocol "
                + "EFI_GRAPHICS_OUTPUT_PROTOCOL 9042A9DE-23DC-4A38-96FB-7ADED080516A)"), h.trace.toString());
        long rng = h.guid(EfiGuid.parse("3152BCA5-EADE-433D-862E-C01CDC291F44"));
        assertEquals(EfiStatus.UNSUPPORTED, h.call(EfiService.HANDLE_PROTOCOL, h.image, rng, out));
        assertTrue(h.trace.get(h.trace.size() - 1).contains("has no protocol EFI_RNG_PROTOCOL"), h.trace.toString());
        long size = h.u64(64);
        long loadFile2 = h.guid(EfiGuid.parse("4006C0C1-FCB3-403E-996D-4A6C8724E06D"));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_HANDLE, 2, loadFile2, 0, size, h.alloc(64)));
        assertTrue(h.trace.get(h.trace.size() - 1).contains("EFI_LOAD_FILE2_PROTOCOL"), h.trace.toString());
        long unknown = h.guid(EfiGuid.parse("01234567-89AB-CDEF-0123-456789ABCDEF"));
        assertEquals(EfiStatus.NOT_FOUND, h.call(EfiService.LOCATE_PROTOCOL, unknown, 0, out));
        assertTrue(h.trace.get(h.trace.size() - 1).contains("01234567-89AB-CDEF-0123-456789ABCDEF"));
    }
}
