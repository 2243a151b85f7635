/**
 * ext2/3/4 read-only, as GRUB's ext2 module reads it: {@link jgrub.ext.ExtFileSystem} (superblock, group descriptors,
 * inodes, block maps and extent trees, linear and htree directories, inline data, symlinks, metadata_csum checks)
 * and {@link jgrub.ext.ExtFile} (streamed reads, holes as zeros). Knows nothing of GRUB configuration or boot
 * protocols.
 */
package jgrub.ext;
