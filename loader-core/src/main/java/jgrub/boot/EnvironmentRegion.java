package jgrub.boot;

/**
 * Guest memory the boot environment took for itself while planning, written directly rather than as a
 * {@link Segment}: jgrub's EFI system table, service stubs and arenas, the stack it enters on. What a loader places
 * (an image, modules, boot information) is a segment, however it was allocated. {@code type} is how the guest's
 * memory map lists it (an EFI memory type name).
 */
public record EnvironmentRegion(String name, long address, long length, String type) {

    public EnvironmentRegion {
        if (length <= 0 || address < 0 || Long.MAX_VALUE - address < length) {
            throw new IllegalArgumentException("environment region '" + name + "' out of range: 0x"
                    + Long.toHexString(address) + " + 0x" + Long.toHexString(length));
        }
    }

    public long end() {
        return address + length;
    }
}
