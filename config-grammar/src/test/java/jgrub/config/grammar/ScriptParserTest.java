package jgrub.config.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jgrub.config.ast.Command;
import jgrub.config.ast.ForCommand;
import jgrub.config.ast.IfCommand;
import jgrub.config.ast.SimpleCommand;
import jgrub.config.ast.Word;
import jgrub.config.ast.WordPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptParserTest {

    /** Verdicts checked against grub-script-check 2.06 (Debian 2.06-13+deb12u2) by hand; \n written as |. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "echo foo #it's|echo bar|                 ~ true",
        "echo $|                                  ~ false",
        "echo a$|                                 ~ false",
        "echo a&&b|                               ~ false",
        "echo \"abc|                              ~ false",
        "echo {|                                  ~ false",
        "echo a{b}|                               ~ true",
        "echo a}|                                 ~ false",
        "echo [[|                                 ~ false",
        "echo ']]'|                               ~ true",
        "case|                                    ~ false",
        "echo case|                               ~ true",
        "function f { echo; }|                    ~ false",
        "if true; then function f { echo; }; fi|  ~ false",
        "echo x;|                                 ~ true",
        "echo x;;|                                ~ false",
        "||                                       ~ false",
        "echo ! a|                                ~ true",
        "!|                                       ~ true",
        "a<b|                                     ~ false",
        "function f {|echo|}|                     ~ false",
        "function f { echo; }|echo|               ~ true",
        "function f { echo; }; echo|              ~ true",
        "menuentry f { echo; }|                   ~ true",
        "menuentry f { echo }|                    ~ true",
        "menuentry f {echo; }|                    ~ true",
        "menuentry f {echo}|                      ~ true",
        "echo x; echo y|                          ~ true",
        "echo \"a $ b\"|                          ~ false",
        "echo \"$\"|                              ~ false",
        "echo \"${x\"|                            ~ false",
        "echo \"\\$\"|                            ~ true",
        "menuentry x { }|                         ~ false",
        "menuentry x {||}|                        ~ false",
        "if true; then fi|                        ~ false",
        "echo $\"a $ b\"|                         ~ true",
        "for x-y in a; do echo; done|             ~ false",
        "function foo-bar { echo; }|echo|         ~ false",
        "function f||{ echo; }|echo|              ~ true",
        "echo a\\|                                ~ false",
        "echo a\\                                 ~ false",
        "echo a\\||                               ~ true",
        "if true|then|echo|fi|                    ~ true",
        "while true; do echo; done|               ~ true",
        "echo ${1} ${#} ${10}|                    ~ true",
    })
    void verdict_matchesGrubScriptCheck(String input, boolean accepted) {
        ParseResult result = ScriptParser.parse("t.cfg", input.strip().replace('|', '\n'));
        assertEquals(accepted, result.acceptedByGrubScriptCheck(), () -> input + " -> " + result.errors());
    }

    @Test
    void everySyntaxError_isReported_withLineAndColumn() {
        ParseResult result = ScriptParser.parse("grub.cfg", "echo ok\nif true; then\n  echo a && b\nfi\necho [[ x\n");
        assertEquals(List.of(
                "grub.cfg:3:10: `&&' is not part of GRUB's script language (write nested `if' commands instead)",
                "grub.cfg:4:1: unexpected `fi' (nothing is open here)",
                "grub.cfg:5:6: `[[' is not part of GRUB's script language (use `[ ... ]' or `test')"),
                result.errors().stream().map(Object::toString).toList());
        assertEquals(1, result.script().statements().size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', value = {
        "if true; then|echo     ~ 2:5: unexpected end of file: `if' opened at line 1 column 1 (closed by `fi') is not closed",
        "echo \"abc|            ~ 1:6: unterminated double quote (\"): it is never closed",
        "echo 'abc|             ~ 1:6: unterminated single quote (') : it is never closed",
        "echo \"a $ b\"|        ~ 1:6: `$' inside \"...\" must start a variable: $name, ${name}, $1, $?, $#, $* or $@ (write \\$ for a dollar)",
        "menuentry x { }|       ~ 1:15: unexpected `}': GRUB needs at least one command here (in `{' opened at line 1 column 13 (closed by `}'))",
        "for x-y in a; do echo; done| ~ 1:5: unexpected `x-y': the form is `for NAME in WORDS; do COMMANDS; done'",
        "echo a & b|            ~ 1:8: `&' is not part of GRUB's script language (no pipes, redirections or background commands); quote it to use it as text",
        "if true; then function f { echo; }; fi| ~ 1:15: a function can only be defined at the top level, not inside another command",
    })
    void syntaxError_message(String input, String expected) {
        ParseResult result = ScriptParser.parse("t.cfg", input.strip().replace('|', '\n'));
        assertFalse(result.errors().isEmpty(), input);
        SyntaxError error = result.errors().get(0);
        assertEquals(expected, error.position().line() + ":" + error.position().column() + ": " + error.message());
    }

    @Test
    void words_areSplitIntoPartsAsGrubDoes() {
        ParseResult result = ScriptParser.parse("t", "echo ab\"cd\"ef$foo'gh'ij${foo}kl\\ mn \"x$1\" $\"t\"\n");
        SimpleCommand echo = (SimpleCommand) result.script().statements().get(0);
        Word first = echo.words().get(1);
        assertEquals(List.of(
                new WordPart.Literal("ab", WordPart.Quoting.NONE),
                new WordPart.Literal("cd", WordPart.Quoting.DOUBLE),
                new WordPart.Literal("ef", WordPart.Quoting.NONE),
                new WordPart.Variable("foo", false),
                new WordPart.Literal("gh", WordPart.Quoting.SINGLE),
                new WordPart.Literal("ij", WordPart.Quoting.NONE),
                new WordPart.Variable("foo", false),
                new WordPart.Literal("kl\\ mn", WordPart.Quoting.NONE)), first.parts());
        assertEquals(List.of(new WordPart.Literal("x", WordPart.Quoting.DOUBLE), new WordPart.Variable("1", true),
                new WordPart.Literal("", WordPart.Quoting.DOUBLE)), echo.words().get(2).parts());
        assertEquals(List.of(new WordPart.Gettext("t")), echo.words().get(3).parts());
    }

    @Test
    void structure_ifForBlock() {
        ParseResult result = ScriptParser.parse("t", "if a; then b; elif c; then d; else e; fi\n"
                + "for x in 1 do 3; do echo $x; done\nmenuentry 'T' --class os {\n  linux /vmlinuz\n}\n");
        assertTrue(result.ok(), result.errors()::toString);
        IfCommand ifCommand = (IfCommand) result.script().statements().get(0);
        assertEquals(2, ifCommand.branches().size());
        assertTrue(ifCommand.otherwise().isPresent());
        ForCommand forCommand = (ForCommand) result.script().statements().get(1);
        assertEquals(List.of("1", "do", "3"), forCommand.words().stream().map(Word::literal).toList());
        SimpleCommand menuentry = (SimpleCommand) result.script().statements().get(2);
        assertEquals("\n  linux /vmlinuz\n", menuentry.block().orElseThrow().text());
        Command linux = menuentry.block().orElseThrow().body().commands().get(0);
        assertEquals(4, linux.position().line());
        assertEquals(3, linux.position().column());
    }

    @Test
    void tenThousandNestingLevels_giveAnError_notAStackOverflow() {
        int n = 10_000;
        String text = "if true; then\n".repeat(n) + "echo x\n" + "fi\n".repeat(n);
        ParseResult result = ScriptParser.parse("deep.cfg", text);
        assertFalse(result.ok());
        assertTrue(result.errors().get(0).message().contains("nested more than"), result.errors().get(0)::toString);
        String blocks = "menuentry x {\n".repeat(n) + "echo x\n" + "}\n".repeat(n);
        assertTrue(ScriptParser.parse("deep.cfg", blocks).errors().get(0).message().contains("nested more than"));
    }
}
