/** Multiboot 1 (specification 0.6.96): header, GRUB's {@code multiboot}/{@code module} commands, info structure. */
package jgrub.multiboot.mb1;
