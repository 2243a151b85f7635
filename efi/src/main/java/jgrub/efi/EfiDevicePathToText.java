package jgrub.efi;

/** EFI_DEVICE_PATH_TO_TEXT_PROTOCOL (UEFI 2.10 section 10.6): returns pool strings, or NULL on any failure. */
final class EfiDevicePathToText {

    private final EfiSystem efi;

    EfiDevicePathToText(EfiSystem efi) {
        this.efi = efi;
    }

    long call(EfiCall c) throws EfiException {
        GuestPointers m = c.memory();
        try {
            EfiDevicePath path = EfiDevicePath.decode(EfiProtocolServices.readDevicePath(m, c.arg(0)));
            String text = c.service() == EfiService.DEVICE_NODE_TO_TEXT
                    ? (path.nodes().isEmpty() ? "" : path.nodes().get(0).text()) : path.text();
            long buffer = efi.memoryMap.allocatePool(EfiMemoryType.BOOT_SERVICES_DATA.code(),
                    2L * (text.length() + 1));
            m.writeUcs2(buffer, text);
            return buffer;
        } catch (EfiException e) {
            efi.log(c.service().specName() + ": " + e.getMessage());
            return 0; // these functions return CHAR16*, NULL when they cannot
        }
    }
}
