package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real GRUB 2 EFI image (grub-efi-amd64-bin, made by grub-mkstandalone) running in jgrub's EFI environment and
 * booting Xen to dom0's initramfs marker itself: its embedded grub.cfg has the entry Debian's 20_linux_xen writes
 * ({@code multiboot2 /boot/xen.gz ...}, {@code module2} for dom0's kernel and initrd), so Xen gets its modules from
 * GRUB's multiboot2 loader, not jgrub's. Two ways in: jgrub chainloads GRUB; jgrub chainloads shim (Debian's
 * {@code shim-unsigned}), which reads {@code grubx64.efi} from its own directory and, Secure Boot being off in jgrub's
 * EFI, starts it unsigned, as on a Debian machine without Secure Boot.
 */
class GrubOnJgrubEfiBootTest {

    static final Path SHIM = Path.of("/usr/lib/shim/shimx64.efi");
    private static final String SHIM_GUID = "605DAB50-E046-4300-ABB6-3DD810DD8B23";
    private static final String GRUB_RAN = "JGRUB-GRUB-EFI-RAN";

    @TempDir
    Path dir;

    /** GRUB's grub.cfg: finds the ESP by its FAT serial and boots Xen as Debian's 20_linux_xen writes the entry. */
    private static final String GRUB_CFG = """
            set timeout=0
            set default=0
            insmod part_gpt
            insmod fat
            search --no-floppy --fs-uuid --set=root 4A47-5242
            echo %s platform=$grub_platform root=$root
            menuentry 'Debian GNU/Linux, with Xen hypervisor' --class debian --class xen {
              echo 'Loading Xen 4.17-amd64 ...'
              if [ "$grub_platform" = "pc" -o "$grub_platform" = "" ]; then
                  xen_rm_opts=
              else
                  xen_rm_opts="no-real-mode edd=off"
              fi
              multiboot2 /boot/xen.gz placeholder console=com1 com1=115200,8n1 dom0_mem=512M ${xen_rm_opts}
              echo 'Loading Linux ...'
              module2 /boot/vmlinuz placeholder root=/dev/ram0 ro console=hvc0 quiet
              echo 'Loading initial ramdisk ...'
              module2 --nounzip /boot/initrd.img
            }
            """.formatted(GRUB_RAN);

    @Test
    void grubsEfiImage_chainloaded_bootsXenWithMultiboot2_toDom0sInitramfs() throws Exception {
        Path grub = TestDisks.grubStandalone(dir, GRUB_CFG);
        BootRun run = bootToMarker("/EFI/debian/grubx64.efi", grub + "=/EFI/debian/grubx64.efi");
        assertGrubBootedXen(run);
    }

    @Test
    void shim_loadsGrubx64BesideItself_andGrubBootsXen_toDom0sInitramfs() throws Exception {
        if (!Files.isRegularFile(SHIM)) {
            Prerequisites.missing("file " + SHIM + " (Debian package shim-unsigned)");
        }
        Path grub = TestDisks.grubStandalone(dir, GRUB_CFG);
        // grubx64.efi only beside shim: nothing else on the disk names it, so GRUB running means shim started it.
        BootRun run = bootToMarker("/EFI/debian/shimx64.efi", SHIM + "=/EFI/debian/shimx64.efi",
                grub + "=/EFI/debian/grubx64.efi");
        assertGrubBootedXen(run);
        String err = run.err();
        String tail = run.tail();
        // shim asked for Secure Boot, found it off, and set up its MOK state as it does on every boot.
        assertTrue(err.contains("variable 8BE4DF61-93CA-11D2-AA0D-00E098032B8C:SecureBoot"), tail);
        assertTrue(err.contains("variable " + SHIM_GUID + ":SHIM_VERBOSE"), tail);
        assertTrue(err.lines().anyMatch(l -> l.startsWith("efi: SetVariable(") && l.endsWith("= EFI_SUCCESS")),
                tail);
        // shim looked for an existing shim_lock protocol, then installed its own for GRUB.
        int lock = err.indexOf("no handle has protocol SHIM_LOCK_PROTOCOL " + SHIM_GUID);
        assertTrue(lock >= 0, tail);
        assertTrue(err.indexOf("efi: InstallMultipleProtocolInterfaces(", lock) > lock, tail);
        // shim read grubx64.efi whole into one pool buffer of the file's size (its own PE loader, not LoadImage).
        String size = Long.toHexString(Files.size(grub));
        assertTrue(err.contains("efi: AllocatePool(0x2, 0x" + size + ", "), "a pool of 0x" + size + tail);
    }

    private BootRun bootToMarker(String chainloaded, String... files) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        Path outer = dir.resolve("grub.cfg");
        Files.writeString(outer, "set timeout=0\nmenuentry efi {\n  chainloader " + chainloaded + "\n}\n");
        Path disk = dir.resolve("disk.img");
        List<String> args = new ArrayList<>(List.of("mkesp", disk.toString(), "--size", "64M", "--serial",
                "4A47-5242", outer + "=/EFI/BOOT/grub.cfg",
                Prerequisites.payload("xen.gz") + "=/boot/xen.gz",
                Prerequisites.payload("vmlinuz") + "=/boot/vmlinuz",
                Prerequisites.payload("initrd.img") + "=/boot/initrd.img"));
        args.addAll(List.of(files));
        BootRun made = BootRun.of(args);
        assertEquals(0, made.code(), made.tail());
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--trace-efi", "--until",
                Pattern.quote(marker), "--timeout", "300"));
        run.assertReached(marker);
        return run;
    }

    /** GRUB ran its grub.cfg on the EFI platform, and Xen got its modules from GRUB's multiboot2 loader. */
    private static void assertGrubBootedXen(BootRun run) {
        String console = run.console();
        String tail = run.tail();
        assertTrue(console.contains(GRUB_RAN + " platform=efi root=hd0,gpt1"), tail);
        int booting = console.indexOf("Booting `Debian GNU/Linux, with Xen hypervisor'");
        int banner = console.indexOf("(XEN) Xen version 4.17");
        assertTrue(booting >= 0 && banner > booting, tail);
        assertTrue(console.indexOf("Loading initial ramdisk ...", booting) < banner, tail);
        // GRUB's multiboot2 loader, not jgrub's, gave Xen its boot information.
        assertTrue(console.contains("(XEN) Bootloader: GRUB 2"), tail);
        assertFalse(console.contains("(XEN) Bootloader: jgrub"), tail);
        assertTrue(console.contains("(XEN) Command line: placeholder console=com1 com1=115200,8n1 dom0_mem=512M"
                + " no-real-mode edd=off\n"), tail);
        assertTrue(console.contains("(XEN) EFI RAM map:"), tail);
        assertTrue(console.contains("(XEN)  Dom0 kernel: 64-bit"), tail);
        // Xen left jgrub's boot services itself, with the map key of its GetMemoryMap.
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("efi: ExitBootServices(")
                && l.endsWith("= EFI_SUCCESS")), tail);
    }
}
