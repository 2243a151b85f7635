/** {@code jgrub inspect}: what a kernel file is and how GRUB would load it. */
package jgrub.multiboot.inspect;
