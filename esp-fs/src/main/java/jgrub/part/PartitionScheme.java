package jgrub.part;

/** How a disk is divided; the lower-case name is GRUB's partition-map name. */
public enum PartitionScheme {
    /** GUID partition table (UEFI specification, chapter 5.3). GRUB calls its partitions {@code gptN}. */
    GPT("gpt"),
    /** Master boot record with primary and logical partitions. GRUB calls them {@code msdosN}. */
    MBR("msdos"),
    /** No table: the file system starts at byte 0 ("superfloppy"). GRUB calls the disk {@code (hd0)}. */
    NONE("");

    private final String grubName;

    PartitionScheme(String grubName) {
        this.grubName = grubName;
    }

    /** {@code gpt}, {@code msdos} or empty. */
    public String grubName() {
        return grubName;
    }
}
