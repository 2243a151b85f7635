/** gzip and xz unpacking as GRUB's file filters do it, bounded so that a decompression bomb is an error. */
package jgrub.compress;
