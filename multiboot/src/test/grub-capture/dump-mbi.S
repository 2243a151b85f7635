/*
 * A tiny Multiboot kernel (MB1 and MB2 headers, ELF32) that prints what the boot loader handed it on COM1 and halts:
 * "EAX=xxxxxxxx EBX=xxxxxxxx", then the Multiboot 2 information (total_size bytes) or the Multiboot 1 information
 * structure with the blocks it points to, as hex lines "@ADDRESS: BYTES", then "END". Used by capture.sh to record
 * what real GRUB 2 (i386-pc) gives a kernel, which the tests compare with what jgrub gives.
 */
	.set MB2_MAGIC, 0xe85250d6
	.set MB1_MAGIC, 0x1BADB002
	.text
	.code32
	.globl _start
	.align 8
mb1_header:
	.long MB1_MAGIC, 0x3, -(MB1_MAGIC + 0x3)
	.align 8
mb2_header:
	.long MB2_MAGIC, 0, mb2_end - mb2_header, -(MB2_MAGIC + (mb2_end - mb2_header))
	.short 1, 0
	.long 16
	.long 4, 6
	.short 6, 0
	.long 8
	.short 0, 0
	.long 8
mb2_end:

_start:
	mov $0x90000, %esp
	mov %eax, %ebp
	mov %ebx, %edi
	mov $s_eax, %esi
	call puts
	mov %ebp, %eax
	call hex32
	mov $s_ebx, %esi
	call puts
	mov %edi, %eax
	call hex32
	call newline
	cmp $0x36d76289, %ebp
	jne mb1
	/* Multiboot 2: dump total_size bytes from EBX. */
	mov %edi, %esi
	mov (%edi), %ecx
	call dump
	jmp done
mb1:
	/* Multiboot 1: the 116-byte structure, command line, loader name, module list, memory map, ELF sections. */
	mov %edi, %esi
	mov $116, %ecx
	call dump
	mov 16(%edi), %esi
	mov $256, %ecx
	call dump
	mov 64(%edi), %esi
	mov $64, %ecx
	call dump
	mov 24(%edi), %esi
	mov 20(%edi), %ecx
	shl $4, %ecx
	call dump
	mov 24(%edi), %ebx
	mov 20(%edi), %edx
1:	test %edx, %edx
	jz 2f
	mov 8(%ebx), %esi
	mov $128, %ecx
	call dump
	add $16, %ebx
	dec %edx
	jmp 1b
2:	mov 48(%edi), %esi
	mov 44(%edi), %ecx
	call dump
	mov 36(%edi), %esi
	mov 28(%edi), %ecx
	imul 32(%edi), %ecx
	call dump
done:
	mov $s_end, %esi
	call puts
	/* ACPI power off as QEMU's PIIX4 under SeaBIOS sets it up (PM base 0x600, PM1a_CNT 0x604, SLP_EN|S5). */
	mov $0x604, %dx
	mov $0x2000, %ax
	outw %ax, %dx
3:	cli
	hlt
	jmp 3b

/* dump: ECX bytes from ESI as lines "@ADDRESS: HEX", 32 bytes each. Keeps EDI, EBX, EDX. */
dump:
	push %edx
	push %ebx
	mov %ecx, %ebx
4:	test %ebx, %ebx
	jz 6f
	mov $'@', %al
	call putc
	mov %esi, %eax
	call hex32
	mov $':', %al
	call putc
	mov $32, %ecx
5:	test %ebx, %ebx
	jz 7f
	mov $' ', %al
	call putc
	movzbl (%esi), %eax
	call hex8
	inc %esi
	dec %ebx
	loop 5b
7:	call newline
	jmp 4b
6:	pop %ebx
	pop %edx
	ret

hex32:
	push %eax
	shr $24, %eax
	call hex8
	mov (%esp), %eax
	shr $16, %eax
	call hex8
	mov (%esp), %eax
	shr $8, %eax
	call hex8
	pop %eax
hex8:
	push %eax
	shr $4, %al
	call nibble
	pop %eax
nibble:
	and $0xf, %al
	add $'0', %al
	cmp $'9', %al
	jbe putc
	add $('a' - '0' - 10), %al
putc:
	push %edx
	push %eax
	mov $0x3fd, %dx
8:	inb %dx, %al
	test $0x20, %al
	jz 8b
	pop %eax
	mov $0x3f8, %dx
	outb %al, %dx
	pop %edx
	ret
newline:
	mov $'\n', %al
	jmp putc
puts:
	lodsb
	test %al, %al
	jz 9f
	call putc
	jmp puts
9:	ret

	.data
s_eax:	.asciz "EAX="
s_ebx:	.asciz " EBX="
s_end:	.asciz "END\n"
