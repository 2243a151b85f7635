package jgrub.config.menu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A menu as GRUB shows it: its items, and the variables that steer it, as they are when the menu is shown.
 *
 * @param defaultEntry {@code $default} (an index, a title, an id, or a {@code >} path), if set
 * @param fallback     {@code $fallback} (space-separated indexes), if set
 * @param timeout      {@code $timeout} in seconds, if set and a number; GRUB waits for a key without one
 * @param timeoutStyle {@code $timeout_style} ({@code menu}, {@code countdown}, {@code hidden}), if set
 * @param lookup       how GRUB's menu code reads {@code default} and other selectors here (Fedora's differs)
 */
public record Menu(List<MenuItem> items, Optional<String> defaultEntry, Optional<String> fallback,
        Optional<Integer> timeout, Optional<String> timeoutStyle, Selectors.Lookup lookup) {

    public Menu {
        items = List.copyOf(items);
    }

    /** A menu whose selectors read as upstream GRUB 2.06 reads them. */
    public Menu(List<MenuItem> items, Optional<String> defaultEntry, Optional<String> fallback,
            Optional<Integer> timeout, Optional<String> timeoutStyle) {
        this(items, defaultEntry, fallback, timeout, timeoutStyle, Selectors.Lookup.UPSTREAM);
    }

    public static Menu empty() {
        return new Menu(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The path of the entry GRUB boots without a key press: {@code default} (or entry 0 when it names none), followed
     * into submenus by the rest of a {@code >} path or the submenu's own default. Empty for an empty menu.
     */
    public Optional<String> defaultPath() {
        return resolve(defaultEntry().orElse(null));
    }

    /** The path a {@code default}-style selector leads to, falling back to entry 0 as GRUB does. */
    public Optional<String> resolve(String selector) {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        int index = selector == null ? -1 : indexOf(selector);
        if (index < 0) {
            index = 0;
        }
        MenuItem item = items.get(index);
        if (item instanceof Submenu submenu) {
            String rest = selector == null ? null : Selectors.rest(selector);
            Optional<String> inner = submenu.menu().resolve(rest != null ? rest
                    : submenu.menu().defaultEntry().orElse(null));
            return Optional.of(inner.orElse(item.path()));
        }
        return Optional.of(item.path());
    }

    /** Every item of this menu and its submenus, depth first, in menu order. */
    public List<MenuItem> allItems() {
        List<MenuItem> all = new ArrayList<>();
        collect(this, all);
        return all;
    }

    private static void collect(Menu menu, List<MenuItem> into) {
        for (MenuItem item : menu.items) {
            into.add(item);
            if (item instanceof Submenu submenu) {
                collect(submenu.menu(), into);
            }
        }
    }

    /** The item at an index path such as {@code 1>0}, or empty. */
    public Optional<MenuItem> at(String path) {
        return allItems().stream().filter(item -> item.path().equals(path)).findFirst();
    }

    /**
     * The index GRUB picks for {@code selector} in this menu (grub-core/normal/menu.c, get_entry_number): a number
     * (as C's strtoul reads it: leading digits, {@code 0x} hex, leading-0 octal) or else the first item whose title or
     * id equals the selector up to its first {@code >} ({@code >>} stands for a literal {@code >}); -1 when none.
     * Fedora's GRUB tries ids, titles, then a whole number ({@link Selectors.Lookup}).
     */
    public int indexOf(String selector) {
        return Selectors.indexOf(lookup, items.stream().map(MenuItem::title).toList(),
                items.stream().map(MenuItem::id).toList(), selector);
    }
}
