package jgrub.config.eval;

import java.util.List;
import java.util.Optional;
import jgrub.config.menu.MenuEntry;

/**
 * What running one menu entry did.
 *
 * @param entry    the entry that ran (after following submenus and their defaults), or empty when the menu is empty
 * @param notices  what the run noticed (failed commands, unknown commands, ...), in order
 * @param output   what GRUB would have printed
 * @param booted   whether {@code boot} (explicit, or the implicit one after the entry's commands) succeeded
 * @param fellBack notes on how the selector was resolved when it named no entry (GRUB then takes entry 0)
 * @param environmentBlocks the grubenv files as {@code save_env} left them (config and entry), by GRUB path; the
 *                 disk is not written, a caller that wants GRUB's effect writes these
 */
public record EntryRun(Optional<MenuEntry> entry, List<Notice> notices, String output, boolean booted,
        List<String> fellBack, java.util.Map<String, String> environmentBlocks) {

    public EntryRun {
        notices = List.copyOf(notices);
        fellBack = List.copyOf(fellBack);
        environmentBlocks = java.util.Map.copyOf(environmentBlocks);
    }

    /** A run that wrote no environment block. */
    public EntryRun(Optional<MenuEntry> entry, List<Notice> notices, String output, boolean booted,
            List<String> fellBack) {
        this(entry, notices, output, booted, fellBack, java.util.Map.of());
    }
}
