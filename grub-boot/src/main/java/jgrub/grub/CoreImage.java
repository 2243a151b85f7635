package jgrub.grub;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.disk.BlockDevice;
import jgrub.disk.DiskFormatException;
import jgrub.fs.Disk;
import jgrub.part.PartitionScheme;
import jgrub.pe.PeFormatException;
import jgrub.pe.PeImage;
import jgrub.pe.PeSection;
import org.tukaani.xz.LZMAInputStream;

/**
 * GRUB's core image on a disk, the program the firmware starts, and what it says about where grub.cfg is: its prefix
 * and its early config (GRUB 2.06 {@code grub-core/kern/main.c}). On EFI it is the PE image the firmware boots
 * ({@code /EFI/BOOT/BOOTX64.EFI}, GRUB's {@code grubx64.efi} beside a shim there, else {@code /EFI/VENDOR/grubx64.efi}),
 * whose section {@code mods} holds the module area. On a PC it is what GRUB's {@code boot.img} in the MBR loads:
 * {@code diskboot.img} at its {@code kernel_sector}, whose block lists name the rest ({@code lzma_decompress.img}, then
 * the kernel and module area compressed as raw LZMA), in the BIOS boot partition on GPT or the gap after the MBR.
 *
 * @param where    how notes name the image: {@code (hd0,gpt1)/EFI/BOOT/BOOTX64.EFI}, {@code the BIOS core image at LBA 2048}
 * @param area     its prefix and early config
 * @param fwDevice the device the firmware started GRUB from ({@code grub_machine_get_bootlocation}): the partition
 *     holding the image on EFI, {@code hd0} on a PC
 * @param fwPath   on EFI the directory of the image ({@code /EFI/BOOT}); empty on a PC
 */
record CoreImage(String where, ModuleArea area, String fwDevice, Optional<String> fwPath) {

    /** The removable-media path the firmware boots on x86-64 (UEFI 2.10 section 3.5.1.1). */
    static final String REMOVABLE = "/EFI/BOOT/BOOTX64.EFI";
    /** GRUB's image as shim loads it from shim's own directory, and as grub-install names it in a vendor directory. */
    static final String GRUB_EFI = "grubx64.efi";
    /** Larger EFI files are not GRUB images (a signed grubx64.efi is under 4 MiB; memdisks add a little). */
    static final long MAX_EFI_IMAGE = 64L << 20;

    /** boot.img: the LBA of diskboot.img (GRUB_BOOT_MACHINE_KERNEL_SECTOR, include/grub/i386/pc/boot.h). */
    static final int KERNEL_SECTOR = 0x5C;
    /** diskboot.img: the first block list, {u64 start, u16 len, u16 segment}, growing down from the sector's end. */
    static final int FIRST_BLOCKLIST = 0x1F4;
    static final int BLOCKLIST_SIZE = 12;
    /** Offsets in lzma_decompress.img, the sector after diskboot.img (include/grub/offsets.h). */
    static final int COMPRESSED_SIZE = 0x08;
    static final int UNCOMPRESSED_SIZE = 0x0C;
    static final int REED_SOLOMON_REDUNDANCY = 0x10;
    static final int NO_REED_SOLOMON_LENGTH = 0x14;
    /** GRUB_DECOMPRESSOR_I386_PC_MAX_DECOMPRESSOR_SIZE: the decompressor ends before this many bytes. */
    static final int MAX_DECOMPRESSOR = 0x9000 - 0x8200;
    /** The kernel and modules must fit below 0x78000 from their link address 0x9000 (util/mkimage.c). */
    static final int MAX_CORE = 0x78000 - 0x9000;
    /** util/mkimage.c compress_kernel_lzma: lc 3, lp 0, pb 2, as LZMA's properties byte (pb * 5 + lp) * 9 + lc. */
    static final byte LZMA_PROPERTIES = (2 * 5 + 0) * 9 + 3;
    static final int LZMA_DICTIONARY = 1 << 16;

    /** {@code $root} and {@code $prefix} as {@code grub_set_prefix_and_root} sets them from this image. */
    BootLocation location() {
        String device = null;
        String path = null;
        Optional<String> prefix = area.prefix();
        if (prefix.isPresent()) {
            String rest = prefix.get();
            int close = rest.lastIndexOf(')');
            if (rest.startsWith("(") && close > 0) {
                device = rest.substring(1, close);
                rest = rest.substring(close + 1);
            }
            path = rest.isEmpty() ? null : rest;
        }
        if (device == null) {
            device = fwDevice;
        } else if (device.isEmpty() || device.startsWith(",")) {
            // A partition without a drive, "(,gpt2)/boot/grub": the drive GRUB was started from.
            device = drive(fwDevice) + device;
        }
        if (path == null && fwPath.isPresent()) {
            path = fwPath.get().replaceAll("(?<=.)/+$", "");
            if (path.endsWith("x86_64-efi")) {
                path = path.substring(0, path.length() - "x86_64-efi".length());
            }
        }
        return new BootLocation(device, "(" + device + ")" + (path == null ? "" : path));
    }

    /** The drive part of a GRUB device, up to its first comma that is not escaped. */
    private static String drive(String device) {
        for (int i = 0; i < device.length(); i++) {
            if (device.charAt(i) == '\\' && i + 1 < device.length()) {
                i++;
            } else if (device.charAt(i) == ',') {
                return device.substring(0, i);
            }
        }
        return device;
    }

    /**
     * {@code $root} and {@code $prefix} before the early config runs.
     *
     * @param root   a GRUB device, {@code hd0,gpt2}
     * @param prefix {@code (hd0,gpt2)/boot/grub}
     */
    record BootLocation(String root, String prefix) {
    }

    /**
     * The GRUB image the firmware would start on EFI, if the disk has one: the removable path, GRUB's image beside a
     * shim there, then the first vendor directory's {@code grubx64.efi}. A file that is not GRUB's (another loader,
     * {@code xen.efi} as BOOTX64.EFI) is passed over.
     */
    static Optional<CoreImage> efi(GrubDiskView view) throws IOException {
        List<String[]> candidates = new ArrayList<>();
        Optional<String> removable = view.find(REMOVABLE);
        if (removable.isPresent()) {
            candidates.add(new String[] {removable.get(), REMOVABLE});
            candidates.add(new String[] {removable.get(), "/EFI/BOOT/" + GRUB_EFI});
        }
        for (String[] vendor : view.vendorFiles(GRUB_EFI)) {
            if (!vendor[1].equalsIgnoreCase("/EFI/BOOT/" + GRUB_EFI)) {
                candidates.add(vendor);
            }
        }
        for (String[] candidate : candidates) {
            if (view.stat(candidate[0], candidate[1]).map(f -> f.directory()).orElse(true)) {
                continue;
            }
            byte[] file = view.read(candidate[0], candidate[1], MAX_EFI_IMAGE, "a GRUB EFI image");
            String where = "(" + candidate[0] + ")" + candidate[1];
            Optional<ModuleArea> area = efiModules(file, where);
            if (area.isPresent()) {
                String dir = candidate[1].substring(0, candidate[1].lastIndexOf('/'));
                return Optional.of(new CoreImage(where, area.get(), candidate[0], Optional.of(dir)));
            }
        }
        return Optional.empty();
    }

    /** The module area of a PE image's {@code mods} section; empty when the file is not a GRUB image. */
    static Optional<ModuleArea> efiModules(byte[] file, String where) throws DiskFormatException {
        PeImage pe;
        try {
            pe = PeImage.parse(file, where);
        } catch (PeFormatException notPe) {
            return Optional.empty();
        }
        for (PeSection section : pe.sections()) {
            if (!section.name().equals("mods")) {
                continue;
            }
            long size = section.bytesFromFile();
            if (section.rawOffset() > file.length || size > file.length - section.rawOffset()) {
                throw ModuleArea.corrupt("GRUB EFI image " + where, "mods section size", size,
                        section.rawOffset(), "past the end of the file at 0x" + Integer.toHexString(file.length));
            }
            ByteBuffer area = ByteBuffer.wrap(file, (int) section.rawOffset(), (int) size);
            return Optional.of(ModuleArea.parse(area, 8, "GRUB EFI image " + where, section.rawOffset()));
        }
        return Optional.empty();
    }

    /**
     * The BIOS core image boot.img in the MBR points at, if the disk's first sector is GRUB's boot.img; its module
     * area decompressed.
     */
    static Optional<CoreImage> bios(Disk disk) throws IOException {
        BlockDevice device = disk.device();
        if (disk.table().scheme() == PartitionScheme.NONE || device.size() < 1024) {
            return Optional.empty();
        }
        ByteBuffer mbr = sector(device, 0);
        if (!contains(mbr, 0, 0x1B8, "GRUB ")) {
            return Optional.empty();
        }
        long kernelSector = mbr.getLong(KERNEL_SECTOR);
        String structure = "GRUB boot.img";
        if (kernelSector <= 0 || kernelSector > (device.size() - 512) / 512) {
            throw ModuleArea.corrupt(structure, "kernel_sector", kernelSector, device.imageOffset(KERNEL_SECTOR),
                    "not a sector of the disk");
        }
        String where = "the BIOS core image at LBA " + kernelSector;
        String image = "GRUB BIOS core image at LBA " + kernelSector;
        ByteBuffer diskboot = sector(device, kernelSector);
        if (!contains(diskboot, 0, FIRST_BLOCKLIST, "loading")) {
            throw ModuleArea.corrupt(image, "diskboot.img", kernelSector, device.imageOffset(kernelSector * 512),
                    "the sector boot.img loads is not GRUB's diskboot.img");
        }
        byte[] core = readBlocklists(device, kernelSector, diskboot, image);
        ByteBuffer header = ByteBuffer.wrap(core).order(ByteOrder.LITTLE_ENDIAN);
        long compressed = Integer.toUnsignedLong(header.getInt(512 + COMPRESSED_SIZE));
        long uncompressed = Integer.toUnsignedLong(header.getInt(512 + UNCOMPRESSED_SIZE));
        long redundancy = Integer.toUnsignedLong(header.getInt(512 + REED_SOLOMON_REDUNDANCY));
        int noReedSolomon = Short.toUnsignedInt(header.getShort(512 + NO_REED_SOLOMON_LENGTH));
        long base = device.imageOffset(kernelSector * 512);
        if (uncompressed == 0 || uncompressed > MAX_CORE) {
            throw ModuleArea.corrupt(image, "uncompressed size", uncompressed, base + 512 + UNCOMPRESSED_SIZE,
                    "not between 1 and 0x" + Integer.toHexString(MAX_CORE));
        }
        if (compressed == 0 || compressed > core.length - 512) {
            throw ModuleArea.corrupt(image, "compressed size", compressed, base + 512 + COMPRESSED_SIZE,
                    "not within the 0x" + Integer.toHexString(core.length) + " bytes the block lists hold");
        }
        byte[] kernel;
        if (redundancy != 0) {
            // grub-bios-setup appended this many Reed-Solomon bytes after the image: the LZMA data ends before them.
            long end = core.length - redundancy;
            long start = end - compressed;
            if (redundancy > core.length || start < 512 + noReedSolomon) {
                throw ModuleArea.corrupt(image, "Reed-Solomon redundancy", redundancy,
                        base + 512 + REED_SOLOMON_REDUNDANCY, "leaves no room for the 0x"
                                + Long.toHexString(compressed) + " compressed bytes after the decompressor");
            }
            kernel = decompress(core, (int) start, (int) compressed, (int) uncompressed)
                    .orElseThrow(() -> ModuleArea.corrupt(image, "LZMA data", start, base + start,
                            "does not decompress to 0x" + Long.toHexString(uncompressed) + " bytes"));
        } else {
            kernel = withoutRedundancy(core, noReedSolomon, (int) compressed, (int) uncompressed)
                    .orElseThrow(() -> ModuleArea.corrupt(image, "compressed size", compressed,
                            base + 512 + COMPRESSED_SIZE, "no LZMA data after the decompressor decompresses to 0x"
                                    + Long.toHexString(uncompressed) + " bytes"));
        }
        int info = moduleInfo(kernel).orElseThrow(() -> ModuleArea.corrupt(image, "module info", 0, base,
                "the decompressed kernel ends in no 'mimg' module area"));
        ModuleArea area = ModuleArea.parse(ByteBuffer.wrap(kernel, info, kernel.length - info), 4,
                image + " (decompressed)", info);
        return Optional.of(new CoreImage(where, area, "hd0", Optional.empty()));
    }

    /** diskboot.img followed by the sectors its block lists name, in order. */
    private static byte[] readBlocklists(BlockDevice device, long kernelSector, ByteBuffer diskboot, String structure)
            throws IOException {
        List<long[]> lists = new ArrayList<>();
        long sectors = 0;
        for (int at = FIRST_BLOCKLIST; ; at -= BLOCKLIST_SIZE) {
            long offset = device.imageOffset(kernelSector * 512 + at);
            if (at < 0x20) {
                throw ModuleArea.corrupt(structure, "block list", lists.size(), offset, "no terminating entry");
            }
            long start = diskboot.getLong(at);
            int length = Short.toUnsignedInt(diskboot.getShort(at + 8));
            if (length == 0) {
                break;
            }
            if (start <= 0 || start > device.size() / 512 || length > device.size() / 512 - start) {
                throw ModuleArea.corrupt(structure, "block list start", start, offset,
                        "0x" + Integer.toHexString(length) + " sectors from there are not on the disk");
            }
            sectors += length;
            if (sectors * 512 > MAX_CORE + MAX_DECOMPRESSOR + (64L << 10)) {
                throw ModuleArea.corrupt(structure, "block list length", length, offset + 8,
                        "more sectors than a BIOS core image can have");
            }
            lists.add(new long[] {start, length});
        }
        if (sectors == 0) {
            throw ModuleArea.corrupt(structure, "block list length", 0, device.imageOffset(kernelSector * 512
                    + FIRST_BLOCKLIST + 8), "the image has nothing after diskboot.img");
        }
        byte[] core = new byte[(int) (512 + sectors * 512)];
        diskboot.get(0, core, 0, 512);
        int filled = 512;
        for (long[] list : lists) {
            ByteBuffer dst = ByteBuffer.wrap(core, filled, (int) list[1] * 512);
            device.read(list[0] * 512, dst);
            filled += (int) list[1] * 512;
        }
        if (core.length < 512 + NO_REED_SOLOMON_LENGTH + 2) {
            throw ModuleArea.corrupt(structure, "size", core.length, device.imageOffset(kernelSector * 512),
                    "too short for lzma_decompress.img's header");
        }
        return core;
    }

    /**
     * Without Reed-Solomon bytes (a core image written by hand or with {@code --no-rs-codes}) nothing says where the
     * decompressor ends, so each start GRUB's own layout allows is tried: after the part of the decompressor that is
     * never Reed-Solomon coded, before {@code MAX_DECOMPRESSOR}, at a zero byte (every LZMA stream begins with one),
     * taken when it decompresses to exactly the uncompressed size and ends in a module area.
     */
    private static Optional<byte[]> withoutRedundancy(byte[] core, int noReedSolomon, int compressed,
            int uncompressed) {
        int last = Math.min(512 + MAX_DECOMPRESSOR, core.length - compressed);
        for (int start = 512 + Math.max(noReedSolomon, NO_REED_SOLOMON_LENGTH + 2); start <= last; start++) {
            if (core[start] != 0) {
                continue;
            }
            Optional<byte[]> kernel = decompress(core, start, compressed, uncompressed);
            if (kernel.isPresent() && moduleInfo(kernel.get()).isPresent()) {
                return kernel;
            }
        }
        return Optional.empty();
    }

    private static Optional<byte[]> decompress(byte[] core, int start, int compressed, int uncompressed) {
        try (LZMAInputStream in = new LZMAInputStream(new ByteArrayInputStream(core, start, compressed), uncompressed,
                LZMA_PROPERTIES, LZMA_DICTIONARY)) {
            byte[] out = in.readNBytes(uncompressed);
            return out.length == uncompressed ? Optional.of(out) : Optional.empty();
        } catch (IOException corrupt) {
            return Optional.empty();
        }
    }

    /**
     * Where {@code struct grub_module_info32} starts: util/mkimage.c puts it right after the kernel, with the first
     * object at offset 12 and the area running to the end of what was compressed.
     */
    private static Optional<Integer> moduleInfo(byte[] kernel) {
        ByteBuffer b = ByteBuffer.wrap(kernel).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = kernel.length - ModuleArea.INFO32; k >= 0; k--) {
            if (b.getInt(k) == ModuleArea.MAGIC && b.getInt(k + 4) == ModuleArea.INFO32
                    && Integer.toUnsignedLong(b.getInt(k + 8)) == kernel.length - k) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static ByteBuffer sector(BlockDevice device, long lba) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        device.read(lba * 512, b);
        return b.flip();
    }

    private static boolean contains(ByteBuffer b, int from, int to, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
