package jgrub.cli.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jgrub.config.eval.ConfigEvaluator;
import jgrub.config.eval.EvalOptions;
import jgrub.config.menu.Menu;
import org.junit.jupiter.api.Test;

/** The decisions of the menu that need no terminal: default, style, hotkeys, when to show it. */
class MenuSessionTest {

    private static Menu menu(String config) {
        return ConfigEvaluator.evaluate("grub.cfg", config, EvalOptions.defaults()).menu();
    }

    static final String ENTRIES = """
            menuentry 'A' --hotkey a { true; }
            menuentry 'B' --id bee --hotkey backspace { true; }
            menuentry 'C' --hotkey F1 { true; }
            """;

    @Test
    void defaultIndex_byNumberTitleOrId_elseZero() {
        assertEquals(1, MenuSession.defaultIndex(menu("set default=1\n" + ENTRIES)));
        assertEquals(1, MenuSession.defaultIndex(menu("set default=bee\n" + ENTRIES)));
        assertEquals(2, MenuSession.defaultIndex(menu("set default=C\n" + ENTRIES)));
        assertEquals(0, MenuSession.defaultIndex(menu("set default=9\n" + ENTRIES)));
        assertEquals(0, MenuSession.defaultIndex(menu(ENTRIES)));
    }

    @Test
    void hotkeys_singleCharactersAndGrubsKeyNames() {
        Menu menu = menu(ENTRIES);
        assertEquals(0, MenuSession.hotkey(menu, 'a'));
        assertEquals(1, MenuSession.hotkey(menu, '\b'));
        assertEquals(-1, MenuSession.hotkey(menu, 'b'));
    }

    @Test
    void timeoutStyle_menuUnlessNamedOtherwise() {
        assertEquals(MenuSession.Style.MENU, MenuSession.style(menu(ENTRIES)));
        assertEquals(MenuSession.Style.COUNTDOWN, MenuSession.style(menu("set timeout_style=countdown\n" + ENTRIES)));
        assertEquals(MenuSession.Style.HIDDEN, MenuSession.style(menu("set timeout_style=hidden\n" + ENTRIES)));
        assertEquals(MenuSession.Style.MENU, MenuSession.style(menu("set timeout_style=fancy\n" + ENTRIES)));
    }

    @Test
    void neverWantedWithAnEntryOrOffATerminal() {
        Menu menu = menu(ENTRIES);
        assertFalse(MenuSession.wanted(menu, true, true));
        // Surefire's forked JVM has no terminal on stdin/stdout.
        assertFalse(MenuSession.wanted(menu, true, false));
    }
}
