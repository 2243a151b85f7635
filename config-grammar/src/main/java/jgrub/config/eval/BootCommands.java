package jgrub.config.eval;

import java.util.Set;

/**
 * Where the evaluator sends the commands that load and boot an operating system, so that loaders plug in without
 * the grammar knowing them. It is called in order as a menu entry runs, with final, expanded arguments; when the
 * entry's commands are done and {@link #loaded()} is true, the evaluator sends an implicit {@code boot}, as GRUB does.
 * {@link RecordingBootCommands} records them for dry runs and checks. {@code fwsetup} (reboot into the firmware's
 * setup) comes here too, as it ends the entry like a boot.
 */
public interface BootCommands {

    /** The commands sent here instead of being run by the evaluator. */
    Set<String> NAMES = Set.of("multiboot", "module", "multiboot2", "module2", "chainloader", "linux", "linuxefi",
            "initrd", "initrdefi", "linux16", "initrd16", "boot", "xnu_kernel", "xnu_kernel64", "kfreebsd",
            "knetbsd", "kopenbsd", "appleloader", "fwsetup");

    /** Runs one command; a failure is a GRUB error number and message, which the script sees in {@code $?}. */
    Status execute(BootCommand command);

    /** Whether a kernel or image is loaded (GRUB's grub_loader_is_loaded). */
    boolean loaded();
}
