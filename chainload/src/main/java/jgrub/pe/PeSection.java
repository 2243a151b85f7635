package jgrub.pe;

/**
 * One entry of the section table (PE/COFF specification, "Section Table (Section Headers)"): where its bytes are in the
 * file and where they go relative to the load address.
 */
public record PeSection(
        String name,
        long virtualAddress,
        long virtualSize,
        long rawOffset,
        long rawSize,
        int characteristics) {

    /** IMAGE_SCN_CNT_CODE */
    public static final int CODE = 0x00000020;
    /** IMAGE_SCN_MEM_EXECUTE */
    public static final int EXECUTE = 0x20000000;

    /** Bytes the loader copies from the file: the raw data, but never more than the section's size in memory. */
    public long bytesFromFile() {
        return virtualSize == 0 ? rawSize : Math.min(rawSize, virtualSize);
    }

    /** Size in memory; a zero VirtualSize means the raw size (as object files and some linkers write it). */
    public long memorySize() {
        return virtualSize == 0 ? rawSize : virtualSize;
    }

    public long end() {
        return virtualAddress + memorySize();
    }

    public boolean isExecutable() {
        return (characteristics & (CODE | EXECUTE)) != 0;
    }
}
