package jgrub.config.menu;

import java.util.List;
import java.util.Optional;
import jgrub.config.ast.Position;

/** A line of a GRUB menu: an entry that boots, or a submenu that holds more items. */
public sealed interface MenuItem permits MenuEntry, Submenu {

    /** The index path GRUB's {@code default} understands: {@code 0}, {@code 1>0}. */
    String path();

    String title();

    /** {@code --id}, or the title when there is none (as GRUB does). */
    String id();

    List<String> classes();

    Optional<String> hotkey();

    /** {@code --users} list; empty with {@link #restricted()} false when {@code --unrestricted}. */
    Optional<String> users();

    /** Whether GRUB asks for a password when {@code superusers} is set: all entries but {@code --unrestricted}. */
    boolean restricted();

    /** All arguments after the options, title first: the body's positional parameters. */
    List<String> args();

    EntryBody body();

    /** Where the menuentry or submenu command is. */
    Position position();
}
