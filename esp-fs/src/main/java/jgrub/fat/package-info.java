/**
 * FAT12/16/32 read-only with long names: {@link jgrub.fat.FatFileSystem} (label, GRUB-style UUID, lookup, listing,
 * walk) and {@link jgrub.fat.FatFile} (streams, positional reads, transfer to a channel). Knows nothing of GRUB
 * configuration or boot protocols.
 */
package jgrub.fat;
