package jgrub.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jgrub.disk.BlockDevice;
import jgrub.ext.ExtFileSystem;

/**
 * The partitions of a disk image: GPT (with the backup used when the primary is damaged), MBR with logical
 * partitions, or none when a FAT or ext2/3/4 file system starts at byte 0.
 *
 * @param sectorSize the logical sector size the table is written in (512 or 4096)
 * @param partitions the used partitions in GRUB's order
 * @param warnings problems that were worked around, for example a damaged primary GPT
 */
public record PartitionTable(PartitionScheme scheme, int sectorSize, List<Partition> partitions,
        List<String> warnings) {

    public PartitionTable {
        partitions = List.copyOf(partitions);
        warnings = List.copyOf(warnings);
    }

    static final int MBR_SIGNATURE_OFFSET = 0x1FE;
    static final int MBR_TABLE_OFFSET = 0x1BE;
    static final int TYPE_GPT_PROTECTIVE = 0xEE;

    /** Reads the table of {@code disk}. */
    public static PartitionTable read(BlockDevice disk) throws IOException {
        if (disk.size() < 512) {
            throw PartitionTableException.corrupt("disk image", "size", disk.size(), 0,
                    "smaller than one 512-byte sector");
        }
        ByteBuffer sector0 = readSector(disk, 0, 512);
        boolean signature = Short.toUnsignedInt(sector0.getShort(MBR_SIGNATURE_OFFSET)) == 0xAA55;
        if (signature && Mbr.hasProtectiveEntry(sector0)) {
            return Gpt.read(disk, sector0);
        }
        boolean fat = FatProbe.plausible(sector0);
        // A bare ext2/3/4 image: a plausible superblock at byte 1024, where an MBR disk has only its gap (and on
        // BIOS installs GRUB's core image), so a stray 0xEF53 there is not enough.
        if (fat || ExtFileSystem.looksLikeExt(disk)) {
            Partition whole = new Partition(0, PartitionScheme.NONE, null, null, -1, "", 0, disk.size(), 0, false);
            return new PartitionTable(PartitionScheme.NONE, fat ? FatProbe.bytesPerSector(sector0) : 512,
                    List.of(whole), List.of());
        }
        if (!signature) {
            throw PartitionTableException.corrupt("MBR", "signature",
                    Short.toUnsignedInt(sector0.getShort(MBR_SIGNATURE_OFFSET)), disk.imageOffset(0x1FE),
                    "not 0xAA55: neither a partition table nor a FAT or ext file system");
        }
        return Mbr.read(disk, sector0);
    }

    static ByteBuffer readSector(BlockDevice disk, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        disk.read(offset, buffer);
        return buffer.flip();
    }

    /**
     * The EFI System Partition: the first partition typed as one (GPT C12A7328-..., MBR 0xEF), else the only
     * partition typed FAT, else the whole disk when there is no table.
     */
    public Optional<Partition> esp() {
        Optional<Partition> typed = partitions.stream().filter(Partition::esp).findFirst();
        if (typed.isPresent()) {
            return typed;
        }
        List<Partition> fat = partitions.stream().filter(Partition::fatType).toList();
        if (fat.size() == 1) {
            return Optional.of(fat.get(0));
        }
        if (scheme == PartitionScheme.NONE) {
            return Optional.of(partitions.get(0));
        }
        return Optional.empty();
    }

    /** A number, {@code gptN}, {@code (hd0,msdosN)} or {@code (hd0)}. */
    private static final String NAME = "\\(?(?:hd\\d+,)?(?:(gpt|msdos))?(\\d+)\\)?|\\(?hd\\d+\\)?";

    /**
     * The partition a user names: a number ({@code 1}), a GRUB partition ({@code gpt1}, {@code msdos5},
     * {@code (hd0,gpt1)}, {@code hd0,msdos1}), or the whole disk ({@code (hd0)}) when it has no table.
     */
    public Partition select(String spec) throws PartitionTableException {
        Matcher m = Pattern.compile(NAME, Pattern.CASE_INSENSITIVE).matcher(spec.strip());
        if (!m.matches()) {
            throw new PartitionTableException(PartitionTableException.Kind.UNSUPPORTED, "partition '" + spec + "'",
                    "expected a number or a GRUB name such as (hd0,gpt1) or (hd0,msdos1)");
        }
        if (m.group(2) == null) {
            if (scheme == PartitionScheme.NONE) {
                return partitions.get(0);
            }
            throw noSuch(spec, "the disk has a " + scheme.grubName() + " partition table; name a partition");
        }
        String kind = m.group(1);
        if (kind != null && !kind.equalsIgnoreCase(scheme.grubName())) {
            throw noSuch(spec, "no such partition; " + (scheme == PartitionScheme.NONE
                    ? "the disk has no partition table" : "the disk's partitions are " + describeNumbers()));
        }
        int number;
        try {
            number = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw noSuch(spec, "no such partition");
        }
        for (Partition p : partitions) {
            if (p.number() == number) {
                return p;
            }
        }
        throw noSuch(spec, "no such partition; the disk has " + describeNumbers());
    }

    private String describeNumbers() {
        if (partitions.isEmpty()) {
            return "no partitions";
        }
        StringBuilder b = new StringBuilder();
        for (Partition p : partitions) {
            b.append(b.length() == 0 ? "" : ", ").append(p.grubName());
        }
        return b.toString();
    }

    private static PartitionTableException noSuch(String spec, String why) {
        return new PartitionTableException(PartitionTableException.Kind.UNSUPPORTED, "partition '" + spec + "'",
                why);
    }

    /** Rejects partitions past the end of the image and partitions that overlap. */
    static void checkLayout(BlockDevice disk, String structure, List<Partition> partitions, List<Long> entryOffsets)
            throws PartitionTableException {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            Partition p = partitions.get(i);
            if (p.start() > disk.size() || p.size() > disk.size() - p.start()) {
                throw PartitionTableException.corrupt(structure + " partition " + p.number(), "end", p.start()
                        + p.size(), entryOffsets.get(i), "past the end of the image at 0x"
                                + Long.toHexString(disk.size()).toUpperCase(Locale.ROOT));
            }
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> partitions.get(i).start()));
        for (int k = 1; k < order.size(); k++) {
            Partition a = partitions.get(order.get(k - 1));
            Partition b = partitions.get(order.get(k));
            if (a.size() > 0 && b.size() > 0 && b.start() < a.start() + a.size()) {
                throw PartitionTableException.corrupt(structure + " partition " + b.number(), "start", b.start(),
                        entryOffsets.get(order.get(k)), "overlaps partition " + a.number() + " which ends at 0x"
                                + Long.toHexString(a.start() + a.size()).toUpperCase(Locale.ROOT));
            }
        }
    }
}
