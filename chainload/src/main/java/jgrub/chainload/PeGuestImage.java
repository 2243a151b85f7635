package jgrub.chainload;

import jgrub.efi.EfiException;
import jgrub.efi.EfiImageLoader;
import jgrub.efi.EfiMemoryMap;
import jgrub.efi.EfiStatus;
import jgrub.pe.PeFormatException;
import jgrub.pe.PeImage;
import jgrub.pe.PeLoader;

/**
 * A checked PE32+ image as jgrub's EFI environment places it: the same checks, alignment, 4 GiB limit and relocation
 * for an image {@code chainloader} loads and for one a guest loads with LoadImage.
 */
record PeGuestImage(PeImage image, byte[] file) implements EfiImageLoader.Checked {

    /** xen.efi must end below 4 GiB ("Xen must be loaded at a 2Mb boundary" below 4G); so must anything jgrub loads. */
    static final long LIMIT = 1L << 32;

    /** The loader LoadImage uses: a file that is not PE32+ is EFI_LOAD_ERROR, one jgrub does not run EFI_UNSUPPORTED. */
    static final EfiImageLoader LOADER = (file, name) -> {
        try {
            return new PeGuestImage(PeImage.parse(file, name), file);
        } catch (PeFormatException e) {
            throw new EfiException(e.isUnsupported() ? EfiStatus.UNSUPPORTED : EfiStatus.LOAD_ERROR, e.getMessage());
        }
    };

    @Override
    public long size() {
        return image.sizeOfImage();
    }

    @Override
    public long alignment() {
        return Math.max(image.sectionAlignment(), EfiMemoryMap.PAGE);
    }

    @Override
    public long limit() {
        return LIMIT;
    }

    @Override
    public int subsystem() {
        return image.subsystem();
    }

    @Override
    public EfiImageLoader.Laid layAt(long address) throws EfiException {
        try {
            PeLoader.LoadedPe loaded = PeLoader.load(image, file, address);
            return new EfiImageLoader.Laid(loaded.memory(), loaded.entryPoint());
        } catch (PeFormatException e) {
            throw new EfiException(e.isUnsupported() ? EfiStatus.UNSUPPORTED : EfiStatus.LOAD_ERROR, e.getMessage());
        }
    }

}
