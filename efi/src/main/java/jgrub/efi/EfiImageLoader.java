package jgrub.efi;

/**
 * Checks and lays out the images a guest loads with LoadImage (UEFI 2.10 section 7.4). The PE32+ loader lives in the
 * chainload module, which depends on this one, so it hands its loader to the environment
 * ({@link EfiSystem#imageLoader}); without one, LoadImage answers EFI_UNSUPPORTED.
 */
public interface EfiImageLoader {

    /** PE subsystem values for EFI images (PE/COFF specification, "Windows Subsystem"). */
    int SUBSYSTEM_EFI_APPLICATION = 10;
    int SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER = 11;
    int SUBSYSTEM_EFI_RUNTIME_DRIVER = 12;

    /**
     * Checks a file in full before anything is placed. Throws EFI_LOAD_ERROR for a file that is not a well-formed
     * PE32+ image and EFI_UNSUPPORTED for a well-formed one jgrub does not run (another machine, PE32).
     */
    Checked check(byte[] file, String name) throws EfiException;

    /** A checked image, not yet placed. */
    interface Checked {
        /** SizeOfImage: the bytes the image takes in memory. */
        long size();

        /** The alignment the image must be placed at (its section alignment, at least a page). */
        long alignment();

        /** The highest address the image may end at (exclusive). */
        long limit();

        /** The PE subsystem: which memory types the image's code and data get. */
        int subsystem();

        /** The image as it must stand in memory at {@code address}, relocated, and its entry point. */
        Laid layAt(long address) throws EfiException;
    }

    /** An image's bytes as laid out for its address, and the address of its entry point. */
    record Laid(byte[] memory, long entryPoint) {
    }
}
