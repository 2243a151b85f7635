/**
 * Multiboot 2 (specification 2.0): header and tags, GRUB's {@code multiboot2}/{@code module2} commands for the
 * BIOS and EFI platforms, boot information tags.
 */
package jgrub.multiboot.mb2;
