/*
 * jgrub's option ROM: the only guest code jgrub runs before the image it boots.
 *
 * SeaBIOS finds this ROM through QEMU's -option-rom, runs its (empty) init entry during POST and, once POST is done,
 * boots it through the PnP Bootstrap Entry Vector (BIOS Boot Specification 1.01, section 3 and appendix A), as it
 * boots QEMU's own linuxboot and multiboot ROMs. From there:
 *
 *   1. copy the .low part to LOW_CODE in RAM and go on there (the shadow ROM is read-only and its address is only
 *      known at run time; in RAM every address below is fixed and absolute);
 *   2. ask the BIOS for its memory map (INT 15h, AX=E820h; ACPI 6.4 section 15.1) into E820_BUFFER, and QEMU's
 *      fw_cfg for its file directory (docs/specs/fw_cfg.rst, selector FW_CFG_FILE_DIR) into FW_CFG_DIRECTORY, where
 *      jgrub looks for the ramfb display device;
 *   3. ring jgrub's doorbell (one byte to DOORBELL_PORT) with request FIRMWARE_READY and spin on the mailbox until
 *      jgrub has planned the boot, written every segment into guest RAM (the RAM is a file jgrub maps) and put the
 *      entry state into the mailbox's reply; if the reply names an fw_cfg DMA access, start it (jgrub prepared it
 *      to set the ramfb display's mode: port I/O is guest code's to do);
 *   4. enter the image: real mode at a far address for linux16 (GRUB's relocator16: one data segment, SP, A20 on),
 *      32-bit protected mode (Multiboot 1 section 3.2, Multiboot 2 section 3.3: flat segments with
 *      CS=0x10 and DS=0x18 as GRUB's relocator sets them, paging off, EAX, EBX and ESI from jgrub, ECX=EDX=0,
 *      EDI=EBP=0, IF=DF=0; ESI is Linux's boot_params in its 32-bit boot protocol, zero for Multiboot),
 *      or 64-bit long mode (UEFI 2.10 section 2.3.4: identity-mapped page tables that jgrub built at CR3, FPU and SSE
 *      initialised, RAX..RDX and RSP from jgrub).
 *
 * Every fixed address and number here is also in jgrub.machine.GuestLayout and jgrub.machine.Mailbox, which document
 * them; OptionRomTest checks that the two agree, using the symbol table the build writes beside the image.
 * Built by loader-core/pom.xml with GNU as and ld (binutils); jgrub.machine.OptionRom pads the image to 512 bytes
 * and writes its size and checksums when it hands it to QEMU.
 */

/* Guest addresses (GuestLayout). */
.set MAILBOX,           0x1000
.set E820_BUFFER,       0x2000
.set E820_ENTRY_SIZE,   24
.set E820_MAX_ENTRIES,  128
.set STACK_TOP,         0x6000
.set DOORBELL_PORT,     0x0b10
.set FW_CFG_DIRECTORY,  0x4000
.set FW_CFG_DIRECTORY_SIZE, 0x1000

/* QEMU's fw_cfg on the pc machine (docs/specs/fw_cfg.rst): selector, data and big-endian DMA address ports. */
.set FW_CFG_PORT_SELECTOR, 0x510
.set FW_CFG_PORT_DATA,  0x511
.set FW_CFG_PORT_DMA_HIGH, 0x514
.set FW_CFG_PORT_DMA_LOW, 0x518
.set FW_CFG_FILE_DIR,   0x19

/* Mailbox fields (Mailbox). */
.set MB_SIGNATURE,      MAILBOX + 0x00
.set MB_VERSION,        MAILBOX + 0x04
.set MB_REQUEST,        MAILBOX + 0x08
.set MB_STATUS,         MAILBOX + 0x0c
.set MB_ARG0,           MAILBOX + 0x10
.set MB_ARG1,           MAILBOX + 0x18
.set MB_ENTRY_MODE,     MAILBOX + 0x40
.set MB_ENTRY_RIP,      MAILBOX + 0x48
.set MB_ENTRY_RAX,      MAILBOX + 0x50
.set MB_ENTRY_RBX,      MAILBOX + 0x58
.set MB_ENTRY_RCX,      MAILBOX + 0x60
.set MB_ENTRY_RDX,      MAILBOX + 0x68
.set MB_ENTRY_RSP,      MAILBOX + 0x70
.set MB_ENTRY_CR3,      MAILBOX + 0x78
.set MB_ENTRY_RSI,      MAILBOX + 0x80
.set MB_FW_CFG_DMA,     MAILBOX + 0x88

.set SIGNATURE,         0x4252474a      /* "JGRB" */
.set VERSION,           1
.set REQUEST_FIRMWARE_READY, 1
.set STATUS_PENDING,    1
.set STATUS_DONE,       2
.set MODE_PROTECTED32,  1
.set MODE_LONG64,       2
.set MODE_REAL16,       3

/* Selectors of the GDT below. */
.set CODE32,            0x10
.set DATA32,            0x18
.set CODE64,            0x20

/* Architectural numbers (Intel SDM vol. 3A, sections 2.5 and 2.2.1). */
.set SMAP,              0x534d4150      /* "SMAP", the E820 signature */
.set CR0_PE,            1 << 0
.set CR0_MP,            1 << 1
.set CR0_EM,            1 << 2
.set CR0_TS,            1 << 3
.set CR0_NE,            1 << 5
.set CR0_PG,            1 << 31
.set CR4_PAE,           1 << 5
.set CR4_OSFXSR,        1 << 9
.set CR4_OSXMMEXCPT,    1 << 10
.set MSR_EFER,          0xc0000080
.set EFER_LME,          1 << 8

/* ------------------------------------------------------------------------------------------------------------------
 * The expansion ROM (runs from the shadow area, position independent).
 */
        .section .rom, "ax"
        .code16
        .globl  _start
_start:
        .byte   0x55, 0xaa              /* expansion ROM signature */
        .byte   0                       /* size in 512-byte blocks: written by OptionRom */
init:   lret                            /* init entry (offset 3): nothing to set up during POST */

        .org    0x18
        .word   0                       /* no PCI data structure */
        .word   pnp_header

        .balign 16, 0
pnp_header:                             /* BIOS Boot Specification 1.01, appendix A */
        .ascii  "$PnP"
        .byte   0x01                    /* structure revision */
        .byte   2                       /* length in 16-byte units */
        .word   0                       /* next header: none */
        .byte   0                       /* reserved */
        .byte   0                       /* checksum: written by OptionRom */
        .long   0                       /* device identifier */
        .word   manufacturer
        .word   product
        .byte   0, 0, 0                 /* device type code */
        .byte   0                       /* device indicators */
        .word   0                       /* boot connection vector */
        .word   0                       /* disconnect vector */
        .word   bev                     /* bootstrap entry vector */
        .word   0                       /* reserved */
        .word   0                       /* static resource information vector */

bev:
        cli
        cld
        xorw    %ax, %ax
        movw    %ax, %ss
        movw    $STACK_TOP, %sp
        movw    %ax, %es
        movw    %cs, %ax
        movw    %ax, %ds
        movw    $_low_load, %si
        movw    $LOW_CODE_START, %di
        movw    $_low_size, %cx
        rep movsb
        ljmp    $0, $low_entry

manufacturer:
        .asciz  "jgrub"
product:
        .asciz  "jgrub boot"

/* ------------------------------------------------------------------------------------------------------------------
 * The code that does the work, copied to LOW_CODE (0x3000) and run there with CS=DS=ES=SS=0.
 */
        .section .low, "ax"
        .code16
LOW_CODE_START:
low_entry:
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movl    $VERSION, MB_VERSION
        movl    $SIGNATURE, MB_SIGNATURE

        /* A20 on through the PS/2 system control port A ("fast A20"); SeaBIOS normally has it on already. */
        inb     $0x92, %al
        orb     $0x02, %al
        andb    $0xfe, %al              /* bit 0 would reset the machine */
        outb    %al, $0x92

        /* The firmware memory map, one 24-byte entry at a time (base, length, type, ACPI 3.0 attributes). */
        xorl    %ebx, %ebx
        xorl    %ebp, %ebp
        movw    $E820_BUFFER, %di
e820_next:
        movl    $1, %es:20(%di)         /* attributes "valid" unless the BIOS returns only 20 bytes and says nothing */
        movl    $0xe820, %eax
        movl    $SMAP, %edx
        movl    $E820_ENTRY_SIZE, %ecx
        int     $0x15
        jc      e820_done               /* carry: no (more) entries */
        cmpl    $SMAP, %eax
        jne     e820_done
        incl    %ebp
        addw    $E820_ENTRY_SIZE, %di
        cmpl    $E820_MAX_ENTRIES, %ebp
        jae     e820_done
        testl   %ebx, %ebx              /* continuation 0: that was the last entry */
        jnz     e820_next
e820_done:
        cli
        /* The fw_cfg file directory, read byte by byte; reading past an item's end gives zeros. */
        movw    $FW_CFG_PORT_SELECTOR, %dx
        movw    $FW_CFG_FILE_DIR, %ax
        outw    %ax, %dx
        movw    $FW_CFG_PORT_DATA, %dx
        movw    $FW_CFG_DIRECTORY, %di
        movw    $FW_CFG_DIRECTORY_SIZE, %cx
        rep insb
        movl    %ebp, MB_ARG0
        movl    $0, MB_ARG0 + 4
        movl    $E820_ENTRY_SIZE, MB_ARG1
        movl    $0, MB_ARG1 + 4

        /* Ring: jgrub reads the map, plans, writes guest RAM and the entry state, then sets the status. */
        movl    $REQUEST_FIRMWARE_READY, MB_REQUEST
        movl    $STATUS_PENDING, MB_STATUS
        movw    $DOORBELL_PORT, %dx
        movb    $REQUEST_FIRMWARE_READY, %al
        outb    %al, %dx
wait_reply:
        pause
        movl    MB_STATUS, %eax
        cmpl    $STATUS_PENDING, %eax
        je      wait_reply
        cmpl    $STATUS_DONE, %eax
        jne     stop                    /* jgrub refused the boot and ends the run */
        movl    MB_FW_CFG_DMA, %eax     /* an access below 4 GiB that jgrub wrote; the address goes big-endian */
        testl   %eax, %eax
        jz      enter
        bswapl  %eax
        movl    %eax, %ebx
        xorl    %eax, %eax
        movw    $FW_CFG_PORT_DMA_HIGH, %dx
        outl    %eax, %dx
        movl    %ebx, %eax
        movw    $FW_CFG_PORT_DMA_LOW, %dx
        outl    %eax, %dx               /* writing the low half runs the transfer before the next instruction */
enter:
        cmpl    $MODE_REAL16, MB_ENTRY_MODE
        je      real_mode_entry

        lgdtl   gdt_descriptor
        movl    %cr0, %eax
        orl     $CR0_PE, %eax
        movl    %eax, %cr0
        ljmpl   $CODE32, $protected_mode

real_mode_entry:                        /* linux16, as GRUB's relocator16: CS:IP, one data segment, SP */
        movw    MB_ENTRY_RCX, %bx       /* CS */
        movw    MB_ENTRY_RIP, %dx       /* IP */
        movw    MB_ENTRY_RDX, %ax       /* DS = ES = FS = GS = SS */
        movw    MB_ENTRY_RSP, %cx       /* SP */
        movw    %ax, %ss
        movw    %cx, %sp
        pushw   %bx
        pushw   %dx
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        xorl    %eax, %eax
        xorl    %ebx, %ebx
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        lret

stop:                                   /* the same bytes halt in 16-, 32- and 64-bit code */
        cli
        hlt
        jmp     stop

        .code32
protected_mode:
        movl    $DATA32, %eax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        movl    $STACK_TOP, %esp
        pushl   $0x2                    /* EFLAGS: only the always-one bit; IF, DF, VM and the rest clear */
        popfl
        movl    MB_ENTRY_MODE, %eax
        cmpl    $MODE_LONG64, %eax
        je      long_mode_setup
        cmpl    $MODE_PROTECTED32, %eax
        jne     stop

        movl    MB_ENTRY_RSP, %esp
        movl    MB_ENTRY_RAX, %eax
        movl    MB_ENTRY_RBX, %ebx
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        movl    MB_ENTRY_RSI, %esi
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        jmp     *MB_ENTRY_RIP

long_mode_setup:                        /* Intel SDM vol. 3A section 9.8.5: PAE, CR3, EFER.LME, then CR0.PG */
        movl    %cr4, %eax
        orl     $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
        movl    %eax, %cr4
        movl    MB_ENTRY_CR3, %eax
        movl    %eax, %cr3
        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        wrmsr
        movl    %cr0, %eax
        andl    $~(CR0_EM | CR0_TS), %eax
        orl     $(CR0_PG | CR0_MP | CR0_NE), %eax
        movl    %eax, %cr0
        ljmpl   $CODE64, $long_mode

        .code64
long_mode:
        fninit
        ldmxcsr mxcsr_default
        movq    MB_ENTRY_RSP, %rsp
        movq    MB_ENTRY_RAX, %rax
        movq    MB_ENTRY_RBX, %rbx
        movq    MB_ENTRY_RCX, %rcx
        movq    MB_ENTRY_RDX, %rdx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        jmpq    *MB_ENTRY_RIP

        .balign 8
gdt:
        .quad   0                       /* 0x00 null */
        .quad   0                       /* 0x08 unused: GRUB's relocator also has code at 0x10, data at 0x18 */
        .quad   0x00cf9a000000ffff      /* 0x10 code, base 0, limit 4 GiB, 32-bit */
        .quad   0x00cf92000000ffff      /* 0x18 data, base 0, limit 4 GiB */
        .quad   0x00af9a000000ffff      /* 0x20 code, 64-bit */
gdt_end:
gdt_descriptor:
        .word   gdt_end - gdt - 1
        .long   gdt
mxcsr_default:
        .long   0x1f80                  /* all SSE exceptions masked, round to nearest (UEFI 2.10 section 2.3.4) */
