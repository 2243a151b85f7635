package jgrub.cli.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditBufferTest {

    @Test
    void forEntry_putsSetparamsFirstAsGrubDoes() {
        assertEquals("setparams 'Debian' 'it'\\''s'\n\nlinux /vmlinuz",
                EditBuffer.forEntry(List.of("Debian", "it's"), "\n\tlinux /vmlinuz\n".replace("\t", "")));
        assertEquals("echo hi", EditBuffer.forEntry(List.of(), "\n  \necho hi\n\n"));
    }

    @Test
    void tabsBecomeEightSpaces() {
        assertEquals("        linux /x", new EditBuffer("\tlinux /x").text());
    }

    @Test
    void typingSplittingAndJoiningLines() {
        EditBuffer b = new EditBuffer("ab\ncd");
        b.right();
        b.insert('X');
        assertEquals("aXb\ncd", b.text());
        b.newline();
        assertEquals("aX\nb\ncd", b.text());
        assertEquals(1, b.row());
        assertEquals(0, b.column());
        b.backspace();
        assertEquals("aXb\ncd", b.text());
        b.end();
        b.delete();
        assertEquals("aXbcd", b.text());
        b.home();
        b.killLine();
        assertEquals("", b.text());
    }

    @Test
    void cursorMovesStayInsideTheText() {
        EditBuffer b = new EditBuffer("long line\nx");
        b.end();
        b.down();
        assertEquals(1, b.row());
        assertEquals(1, b.column());
        b.down();
        b.right();
        assertEquals(1, b.column());
        b.up();
        b.up();
        assertEquals(0, b.row());
        b.left();
        b.left();
        b.home();
        b.left();
        assertEquals(0, b.column());
        b.killLine();
        b.killLine();
        assertEquals("x", b.text());
    }
}
