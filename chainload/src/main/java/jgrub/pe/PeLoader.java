package jgrub.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lays a checked {@link PeImage} out as it must stand in memory at a load address: headers, each section at its RVA
 * (whatever its alignment; sections that are not SectionAlignment-aligned, such as xen.efi's .buildid, are loaded
 * where they say, not skipped), zeros for the rest, then base relocations applied for the distance from ImageBase.
 */
public final class PeLoader {

    private PeLoader() {
    }

    /** The image as laid out for {@code address}, and where to enter it. */
    public record LoadedPe(long address, byte[] memory, long entryPoint) {
    }

    public static LoadedPe load(PeImage image, byte[] file, long address) throws PeFormatException {
        long alignment = Math.max(image.sectionAlignment(), 4096);
        if (address % alignment != 0 || address < 0 || address > Long.MAX_VALUE - image.sizeOfImage()) {
            throw PeFormatException.unsupported(image.name(), "load address", address, 0,
                    "must be a multiple of the section alignment 0x" + Long.toHexString(alignment));
        }
        long delta = address - image.imageBase();
        if (delta != 0 && !image.isRelocatable()) {
            throw PeFormatException.unsupported(image.name(), "optional header ImageBase", image.imageBase(), 0,
                    "the image's relocations are stripped (IMAGE_FILE_RELOCS_STRIPPED) and it cannot run at 0x" + Long.toHexString(address));
        }
        byte[] memory = new byte[Math.toIntExact(image.sizeOfImage())];
        System.arraycopy(file, 0, memory, 0, Math.toIntExact(image.sizeOfHeaders()));
        for (PeSection section : image.sections()) {
            int length = Math.toIntExact(section.bytesFromFile());
            if (length > 0) {
                System.arraycopy(file, Math.toIntExact(section.rawOffset()), memory,
                        Math.toIntExact(section.virtualAddress()), length);
            }
        }
        ByteBuffer view = ByteBuffer.wrap(memory).order(ByteOrder.LITTLE_ENDIAN);
        for (PeRelocation relocation : image.relocations()) {
            int at = Math.toIntExact(relocation.rva());
            switch (relocation.type()) {
                case PeRelocation.DIR64 -> view.putLong(at, view.getLong(at) + delta);
                case PeRelocation.HIGHLOW -> view.putInt(at, view.getInt(at) + (int) delta);
                default -> throw new IllegalStateException("relocation type " + relocation.type()
                        + " passed PeImage's checks");
            }
        }
        return new LoadedPe(address, memory, address + image.entryPointRva());
    }
}
