package jgrub.config.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import jgrub.config.ast.WordPart;
import jgrub.config.ast.WordPart.Literal;
import jgrub.config.ast.WordPart.Quoting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordsTest {

    private final Words words = new Words("");

    /** The shortcut for words whose only quotes are single quotes gives GrubWordLexer's parts. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"'a'", "''", "a''b", "'a'b'c'", "root='hd0,gpt2'", "'Loading Linux 6.1.0 ...'", "x'\n'y",
        "'#'#", "a'b c'", "'a''b'", "plain", "a\"b\"", "'a'$b", "\\'a'", "$'x'", "'a'\"b\""})
    void split_givesGrubWordLexersParts(String word) {
        assertEquals(words.splitWithLexer(word), words.split(word));
    }

    @Test
    void split_singleQuotedWords_asTheLexerSplitsThem_random() {
        Random random = new Random(4);
        String plain = "ab #=,-./{}\t";
        for (int n = 0; n < 5000; n++) {
            StringBuilder word = new StringBuilder();
            int pieces = 1 + random.nextInt(5);
            for (int p = 0; p < pieces; p++) {
                boolean quoted = random.nextBoolean();
                if (quoted) {
                    word.append('\'');
                }
                int length = random.nextInt(4);
                for (int i = 0; i < length; i++) {
                    word.append(quoted && random.nextInt(8) == 0 ? '\n' : plain.charAt(random.nextInt(plain.length())));
                }
                if (quoted) {
                    word.append('\'');
                }
            }
            String text = word.toString();
            if (!text.isEmpty()) {
                assertEquals(words.splitWithLexer(text), words.split(text), () -> "word " + text);
            }
        }
    }

    @Test
    void split_singleQuoted_partsInOrder() {
        List<WordPart> expected = List.of(new Literal("root=", Quoting.NONE), new Literal("hd0,gpt2", Quoting.SINGLE),
                new Literal("", Quoting.SINGLE), new Literal("x", Quoting.NONE));
        assertEquals(expected, words.split("root='hd0,gpt2'''x"));
    }
}
