/*
 * A tiny Multiboot kernel (MB1 and MB2 headers, ELF32) that prints what the boot loader handed it on COM1 and halts:
 * "EAX=xxxxxxxx EBX=xxxxxxxx", then the Multiboot 2 information (total_size bytes) or the Multiboot 1 information
 * structure with the blocks it points to, as hex lines "@ADDRESS: BYTES", then "END". Entered in 64-bit mode at
 * _start64 (Multiboot 2 on EFI with boot services kept), it prints RAX, RBX and the Multiboot 2 information the same
 * way. Used by capture.sh to record
 * what real GRUB 2 (i386-pc) gives a kernel, which the tests compare with what jgrub gives.
 */
	.set MB2_MAGIC, 0xe85250d6

/* The address of SYM in REG wherever the image was loaded: the kernel is relocatable, as Xen is. */
	.macro LEA_PIC sym, reg
	call 99f
99:	pop \reg
	add $(\sym - 99b), \reg
	.endm

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
	/* Relocatable (10) as Xen asks: 2 MiB aligned in [2 MiB, 4 GiB), preferably high. */
	.short 10, 1
	.long 24
	.long 0x200000, 0xffffffff, 0x200000, 2
	/* EFI boot services (7) and the EFI amd64 entry (9), optional: GRUB on EFI then enters _start64 in long mode. */
	.short 7, 1
	.long 8
	.short 9, 1
	.long 12
	.long _start64	/* a link address; GRUB moves it with the image */
	.long 0
	.short 0, 0
	.long 8
mb2_end:

_start:
	mov $0x90000, %esp
	mov %eax, %ebp
	mov %ebx, %edi
	LEA_PIC s_eax, %esi
	call puts
	mov %ebp, %eax
	call hex32
	LEA_PIC s_ebx, %esi
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
	LEA_PIC s_end, %esi
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

/* The 64-bit twin of the above for the EFI entry: RBX = information, RAX = magic; position-independent. */
	.code64
_start64:
	mov %rax, %rbp
	mov %rbx, %rdi
	lea s_eax(%rip), %rsi
	call puts64
	mov %ebp, %eax
	call hex32_64
	lea s_ebx(%rip), %rsi
	call puts64
	mov %edi, %eax
	call hex32_64
	mov $'\n', %al
	call putc64
	mov %rdi, %rsi
	mov (%rdi), %ecx
	mov %rcx, %rbx
10:	test %rbx, %rbx
	jz 12f
	mov $'@', %al
	call putc64
	mov %esi, %eax
	call hex32_64
	mov $':', %al
	call putc64
	mov $32, %ecx
11:	test %rbx, %rbx
	jz 13f
	mov $' ', %al
	call putc64
	movzbl (%rsi), %eax
	call hex8_64
	add $1, %rsi
	sub $1, %rbx
	sub $1, %ecx
	jnz 11b
13:	mov $'\n', %al
	call putc64
	jmp 10b
12:	lea s_end(%rip), %rsi
	call puts64
14:	cli
	hlt
	jmp 14b

hex32_64:
	push %rax
	shr $24, %eax
	call hex8_64
	mov (%rsp), %rax
	shr $16, %eax
	call hex8_64
	mov (%rsp), %rax
	shr $8, %eax
	call hex8_64
	pop %rax
hex8_64:
	push %rax
	shr $4, %al
	call nibble64
	pop %rax
nibble64:
	and $0xf, %al
	add $'0', %al
	cmp $'9', %al
	jbe putc64
	add $('a' - '0' - 10), %al
putc64:
	push %rdx
	push %rax
	mov $0x3fd, %dx
15:	inb %dx, %al
	test $0x20, %al
	jz 15b
	pop %rax
	mov $0x3f8, %dx
	outb %al, %dx
	pop %rdx
	ret
puts64:
	lodsb
	test %al, %al
	jz 16f
	call putc64
	jmp puts64
16:	ret

	.data
s_eax:	.asciz "EAX="
s_ebx:	.asciz " EBX="
s_end:	.asciz "END\n"
