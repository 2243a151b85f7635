/** ELF32 and ELF64 little-endian headers, program headers and section headers, read with every offset checked. */
package jgrub.elf;
