package jgrub.boot;

/** The CPU state a boot protocol demands at the moment control passes to the loaded image. */
public sealed interface EntryState {

    /**
     * 32-bit protected mode, flat 4 GiB code and data segments (code 0x10, data 0x18), paging off, interrupts off, as
     * GRUB's i386 relocator leaves it for Multiboot (Multiboot 1 section 3.2; Multiboot 2 section 3.3) and for Linux's
     * 32-bit boot protocol (Documentation/arch/x86/boot.rst, "32-bit Boot Protocol": ESI = boot_params, EBP = EDI =
     * EBX = 0). ECX, EDX, EDI and EBP are zero.
     */
    record Protected32(int eip, int eax, int ebx, int esp, int esi) implements EntryState {

        /** The Multiboot entry: ESI zero. */
        public Protected32(int eip, int eax, int ebx, int esp) {
            this(eip, eax, ebx, esp, 0);
        }
    }

    /**
     * Real mode with the CPU as GRUB's relocator16 leaves it for {@code linux16} (grub-core/loader/i386/pc/linux.c,
     * {@code grub_linux16_boot}): DS = ES = FS = GS = SS = {@code segment}, SP = {@code sp}, a far jump to
     * {@code cs}:{@code ip}, A20 on, interrupts off, the general registers zero. The real-mode kernel setup code then
     * calls the BIOS itself (Linux Documentation/arch/x86/boot.rst, "Running the Kernel").
     */
    record Real16(int cs, int ip, int segment, int sp) implements EntryState {

        public Real16 {
            for (int value : new int[] {cs, ip, segment, sp}) {
                if (value < 0 || value > 0xffff) {
                    throw new IllegalArgumentException("real-mode register value 0x" + Integer.toHexString(value)
                            + " is not 16 bits");
                }
            }
        }
    }

    /**
     * 64-bit long mode with identity-mapped page tables covering all guest RAM, as UEFI leaves the CPU for an image
     * (UEFI 2.10 section 2.3.4), for the Multiboot 2 EFI amd64 entry (tag 9) and for PE32+ images. A non-zero
     * {@code handoff} is firmware code the CPU runs first, with these registers, which ends by jumping to {@code rip}
     * (jgrub's EFI environment starts its timer interrupt there); {@code rip} stays the image's entry point.
     */
    record Long64(long rip, long rax, long rbx, long rcx, long rdx, long rsp, long handoff) implements EntryState {

        /** Entered at {@code rip} directly. */
        public Long64(long rip, long rax, long rbx, long rcx, long rdx, long rsp) {
            this(rip, rax, rbx, rcx, rdx, rsp, 0);
        }

        /** The same entry, reached through firmware code at {@code address}. */
        public Long64 through(long address) {
            return new Long64(rip, rax, rbx, rcx, rdx, rsp, address);
        }
    }
}
