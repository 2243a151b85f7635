package jgrub.cli.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The screen geometry of GRUB's text menu (include/grub/term.h) at several terminal sizes. */
class LayoutTest {

    private static List<String> text(List<AttributedString> screen) {
        return screen.stream().map(AttributedString::toString).toList();
    }

    @ParameterizedTest
    @CsvSource({"80, 25, 12, 76", "80, 24, 11, 76", "132, 50, 37, 128", "40, 12, 1, 36", "20, 5, 1, 16"})
    void boxSizeFollowsTheTerminal(int width, int height, int entries, int border) {
        assertEquals(entries, Layout.visibleEntries(height));
        assertEquals(border, Layout.borderWidth(width));
    }

    @Test
    void menuPage_80x25() {
        List<String> screen = text(Layout.menu(80, 25, "jgrub  version 1", List.of("A", "B"), 0, 1, false, 5));
        assertEquals(25, screen.size());
        assertEquals(" ".repeat(32) + "jgrub  version 1", screen.get(1));
        assertEquals(" \u250c" + "\u2500".repeat(74) + "\u2510", screen.get(3));
        assertEquals(" \u2502 A" + " ".repeat(72) + "\u2502", screen.get(4));
        assertEquals(" \u2502*B" + " ".repeat(72) + "\u2502", screen.get(5));
        assertEquals(" \u2502" + " ".repeat(74) + "\u2502", screen.get(15));
        assertEquals(" \u2514" + "\u2500".repeat(74) + "\u2518", screen.get(16));
        assertEquals("      Use the ^ and v keys to select which entry is highlighted.", screen.get(18));
        assertEquals("      Press enter to boot the selected OS, `e' to edit the commands before", screen.get(19));
        assertEquals("      booting or `c' for a command-line.", screen.get(20));
        assertEquals("   The highlighted entry will be executed automatically in 5s.", screen.get(22));
    }

    @Test
    void longMenus_scrollWithArrowsBesideTheBox() {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            titles.add("entry " + i);
        }
        int first = Layout.scroll(0, 20, 12);
        assertEquals(9, first);
        List<String> screen = text(Layout.menu(80, 25, "t", titles, first, 20, true, null));
        assertEquals(" \u2502 entry 9" + " ".repeat(66) + "\u2502\u2191", screen.get(4));
        assertEquals(" \u2502*entry 20" + " ".repeat(65) + "\u2502\u2193", screen.get(15));
        assertEquals("      booting or `c' for a command-line. ESC to return previous menu.", screen.get(20));
        assertEquals("", screen.get(22));
        assertEquals(5, Layout.scroll(9, 5, 12));
        assertEquals(9, Layout.scroll(9, 15, 12));
    }

    @Test
    void longTitles_areCutWithAnArrow() {
        List<String> screen = text(Layout.menu(30, 25, "t", List.of("x".repeat(40)), 0, 0, false, null));
        assertEquals(" \u2502*" + "x".repeat(22) + "\u2192\u2502", screen.get(4));
    }

    @Test
    void editorPage_showsTheBodyAndItsHelp() {
        List<String> screen = text(Layout.editor(80, 25, "t", List.of("setparams 'A'", "", "  echo 1"), 0, 0, 0));
        assertEquals(" \u2502 setparams 'A'" + " ".repeat(60) + "\u2502", screen.get(4));
        assertEquals(" \u2502   echo 1" + " ".repeat(65) + "\u2502", screen.get(6));
        assertEquals("      Minimum Emacs-like screen editing is supported. Press Ctrl-x or F10", screen.get(18));
    }

    @Test
    void editorPage_scrollsOnlyTheCursorsLine() {
        String longLine = "multiboot2 /xen.gz " + "x".repeat(150) + " end";
        List<String> screen = text(Layout.editor(80, 25, "t", List.of("first line", longLine), 0, 1, 40));
        assertEquals(" \u2502 first line" + " ".repeat(63) + "\u2502", screen.get(4));
        assertEquals(" \u2502 " + longLine.substring(40, 112) + "\u2192\u2502", screen.get(5));
    }
}
