package jgrub.pe;

/** One base relocation (PE/COFF specification, "The .reloc Section"): a type and the RVA it patches. */
public record PeRelocation(int type, long rva) {

    /** IMAGE_REL_BASED_ABSOLUTE: padding, no patch. */
    public static final int ABSOLUTE = 0;
    /** IMAGE_REL_BASED_HIGHLOW: 32-bit field gets the low 32 bits of the delta. */
    public static final int HIGHLOW = 3;
    /** IMAGE_REL_BASED_DIR64: 64-bit field gets the delta. */
    public static final int DIR64 = 10;

    /** Bytes the relocation patches. */
    public int width() {
        return switch (type) {
            case HIGHLOW -> 4;
            case DIR64 -> 8;
            default -> 0;
        };
    }
}
