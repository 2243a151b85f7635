package jgrub.machine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's command line for one run: a {@code pc} machine with SeaBIOS and nothing but what jgrub needs, guest RAM in
 * the shared file, the console on a pair of pipes ({@link ConsolePipe}), the doorbell and monitor on UNIX sockets
 * that jgrub listens on, and jgrub's option ROM first in the boot order; then what the guest's own OS is to find: its disk, a network card.
 */
final class QemuCommand {

    static final String RAM_ID = "jgrub-ram";

    private QemuCommand() {
    }

    static List<String> build(MachineOptions options, Path qemu, Path ramFile, Path rom, Path console, Path doorbell,
            Path monitor, Path qemuLog) {
        long mib = options.memoryBytes() >> 20;
        List<String> args = new ArrayList<>();
        args.add(qemu.toString());
        // -nodefaults: no VGA, network card, drives or default UART; SeaBIOS then has no other ROMs to run and
        // nothing else to boot. The pc machine's own devices (PIT, RTC, PIC, I/O APIC, ACPI PM, i8042) stay.
        args.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none"));
        args.addAll(List.of("-machine", "pc,memory-backend=" + RAM_ID + ",max-ram-below-4g="
                + (GuestLayout.MAX_RAM_BELOW_4G >> 20) + "M"));
        args.addAll(List.of("-accel", options.accel().qemuName()));
        args.addAll(List.of("-m", mib + "M", "-smp", Integer.toString(options.cpus())));
        args.addAll(List.of("-object", "memory-backend-file,id=" + RAM_ID + ",size=" + mib + "M,mem-path="
                + option(ramFile) + ",share=on"));
        args.addAll(List.of("-chardev", "pipe,id=jgrub-console,path=" + option(console),
                "-serial", "chardev:jgrub-console"));
        args.addAll(List.of("-chardev", "socket,id=jgrub-doorbell,path=" + option(doorbell),
                "-device", "isa-debugcon,iobase=0x" + Integer.toHexString(GuestLayout.DOORBELL_PORT)
                        + ",chardev=jgrub-doorbell"));
        args.addAll(List.of("-chardev", "socket,id=jgrub-qmp,path=" + option(monitor),
                "-mon", "chardev=jgrub-qmp,mode=control"));
        args.addAll(List.of("-option-rom", option(rom) + ",bootindex=0"));
        // A reset or power-off stops the guest but keeps QEMU, so that jgrub can ask why and read the registers.
        args.addAll(List.of("-action", "reboot=shutdown,shutdown=pause"));
        // QEMU logs "Triple fault" under cpu_reset; that tells a triple fault from a reset the guest asked for.
        args.addAll(List.of("-d", "cpu_reset", "-D", qemuLog.toString()));
        options.disk().ifPresent(disk -> args.addAll(disk(disk)));
        if (options.display()) {
            // A framebuffer in guest RAM the guest configures through fw_cfg (see Ramfb); screendump reads it even
            // with -display none.
            args.addAll(List.of("-device", "ramfb"));
        }
        if (options.userNetwork()) {
            args.addAll(List.of("-netdev", "user,id=jgrub-net", "-device", "virtio-net-pci,netdev=jgrub-net"));
        }
        args.addAll(options.extraQemuArgs());
        return args;
    }

    /**
     * The guest's disk: the drive, read through a throw-away overlay unless writable, and its controller. It has no
     * boot index, so SeaBIOS still starts jgrub's option ROM first.
     */
    static List<String> disk(GuestDisk disk) {
        String drive = "file=" + option(disk.image()) + ",format=" + disk.format().qemuName()
                + ",if=none,id=jgrub-disk" + (disk.writable() ? "" : ",snapshot=on");
        List<String> args = new ArrayList<>(List.of("-drive", drive));
        switch (disk.bus()) {
            case VIRTIO -> args.addAll(List.of("-device", "virtio-blk-pci,drive=jgrub-disk"));
            case AHCI -> args.addAll(List.of("-device", "ahci,id=jgrub-ahci",
                    "-device", "ide-hd,drive=jgrub-disk,bus=jgrub-ahci.0"));
            case IDE -> args.addAll(List.of("-device", "ide-hd,drive=jgrub-disk,bus=ide.0"));
        }
        return args;
    }

    /** A path as a QEMU option value, where a comma would end the value unless doubled. */
    private static String option(Path path) {
        return path.toString().replace(",", ",,");
    }
}
