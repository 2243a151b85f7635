package jgrub.config.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

class BlankSkippingLexerTest {

    /** The shortcut must agree with the grammar for every character, wherever in a line it stands. */
    @Test
    void everyCharacter_lexesAsGrubLexerLexesIt() {
        int blanks = 0;
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String s = String.valueOf((char) c);
            for (String text : List.of(s + "a", "a" + s + s + "b" + s, "a\n" + s + "#c" + s + "\n" + s)) {
                assertEquals(tokens(new GrubLexer(CharStreams.fromString(text))),
                        tokens(new BlankSkippingLexer(SourceChars.of(text, null))), () -> "text " + escaped(text));
            }
            if (BlankSkippingLexer.isBlank(c)) {
                blanks++;
            }
        }
        assertEquals(5, blanks);
    }

    @Test
    void blanks_areSkipped_andColumnsCountThem() {
        List<String> tokens = tokens(new BlankSkippingLexer(SourceChars.of(" \t echo  x\n \fy", null)));
        assertEquals(List.of("NAME echo 1:3", "NAME x 1:9", "NEWLINE \n 1:10", "NAME y 2:2", "EOF <EOF> 2:3"), tokens);
        assertTrue(BlankSkippingLexer.isBlank('\u000B'));
    }

    private static List<String> tokens(Lexer lexer) {
        List<String> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
            out.add(GrubLexer.VOCABULARY.getSymbolicName(t.getType()) + " " + t.getText() + " " + t.getLine() + ":"
                    + t.getCharPositionInLine());
            if (t.getType() == Token.EOF) {
                return out;
            }
        }
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
