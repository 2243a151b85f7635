package jgrub.efi;

import java.util.Arrays;

/**
 * A stand-in for the chainload module's PE32+ loader (which this module cannot see): an "image" is "MZ", its
 * subsystem byte, then anything; it is laid out as its own bytes padded to a page, with the entry point 0x10 in and
 * the load address written at offset 8, as a relocation would. Anything else is EFI_LOAD_ERROR.
 */
final class FakeImages implements EfiImageLoader {

    static final int APPLICATION = SUBSYSTEM_EFI_APPLICATION;
    static final int BOOT_DRIVER = SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER;

    static byte[] image(int subsystem, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 13);
        }
        bytes[0] = 'M';
        bytes[1] = 'Z';
        bytes[2] = (byte) subsystem;
        return bytes;
    }

    @Override
    public Checked check(byte[] file, String name) throws EfiException {
        if (file.length < 16 || file[0] != 'M' || file[1] != 'Z') {
            throw new EfiException(EfiStatus.LOAD_ERROR, name + ": not an image");
        }
        return new Checked() {
            public long size() {
                return file.length;
            }

            public long alignment() {
                return EfiMemoryMap.PAGE;
            }

            public long limit() {
                return 1L << 32;
            }

            public int subsystem() {
                return file[2];
            }

            public Laid layAt(long address) {
                byte[] memory = Arrays.copyOf(file, file.length);
                for (int i = 0; i < 8; i++) {
                    memory[8 + i] = (byte) (address >>> (8 * i));
                }
                return new Laid(memory, address + 0x10);
            }
        };
    }
}
