package jgrub.config.grammar;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Words a syntax error the way a user can act on it: what was found, and what GRUB's grammar wanted there. */
final class ErrorMessages {

    private ErrorMessages() {
    }

    /**
     * What GRUB 2.06 prints for this error, as grub-emu shows it: "out of memory" first when the file ends inside a
     * chunk (its lexer asks for a line that is not there), GRUB's lexer message for a stray '$'; then one line when a
     * complete statement and its delimiter came before in the chunk, five right after {@code for NAME}, else three.
     */
    static String grubPrints(GrubParser parser, Token token) {
        ParserRuleContext context = parser.getContext();
        String prefix = "";
        if (token.getType() == Token.EOF || restOfInput(token).startsWith("\"")
                || restOfInput(token).startsWith("'") || restOfInput(token).startsWith("$\"")) {
            prefix = "error: out of memory.\n";
        } else if (token.getType() == GrubLexer.BAD) {
            prefix = "error: " + token.getText() + ".\n";
        }
        if (context instanceof GrubParser.ChunkContext && token.getType() != Token.EOF && prefix.isEmpty()
                && token.getTokenIndex() > 0
                && parser.getTokenStream().get(token.getTokenIndex() - 1).getType() == GrubLexer.SEMI) {
            return "error: syntax error.\n";
        }
        if (context instanceof GrubParser.ForCommandContext f && f.IN() == null && f.NAME() != null) {
            return prefix + SyntaxError.GRUB_SYNTAX_ERROR + "error: Incorrect command.\nerror: syntax error.\n";
        }
        return prefix + SyntaxError.GRUB_SYNTAX_ERROR;
    }

    static String describe(GrubParser parser, Token token) {
        ParserRuleContext context = parser.getContext();
        String found = shown(token);
        switch (token.getType()) {
            case GrubLexer.BAD:
                String rest = restOfInput(token);
                return rest.startsWith("\"") || rest.startsWith("'") || rest.startsWith("$\"")
                        ? WordProblems.describe(rest) : badCharacter(token.getText());
            case GrubLexer.AND, GrubLexer.OR:
                return found + " is not part of GRUB's script language (write nested `if' commands instead)";
            case GrubLexer.PIPE, GrubLexer.AMP, GrubLexer.LT, GrubLexer.GT:
                return found + " is not part of GRUB's script language (no pipes, redirections or background"
                        + " commands); quote it to use it as text";
            case GrubLexer.SEMI2:
                return "`;;' is not part of GRUB's script language";
            case GrubLexer.LSQBR2, GrubLexer.RSQBR2:
                return found + " is not part of GRUB's script language (use `[ ... ]' or `test')";
            case GrubLexer.CASE, GrubLexer.ESAC, GrubLexer.SELECT:
                return found + " is not part of GRUB's script language (there is no case/select)";
            default:
                break;
        }
        ParserRuleContext open = innermostOpen(context);
        if (token.getType() == Token.EOF) {
            return open == null ? "unexpected end of file"
                    : "unexpected end of file: " + opened(open) + " is not closed";
        }
        if (token.getType() == GrubLexer.FUNCTION && open != null) {
            return "a function can only be defined at the top level, not inside another command";
        }
        IntervalSet expected = parser.getExpectedTokens();
        boolean wantedCommand = expected.contains(GrubLexer.WORD) && !expected.contains(GrubLexer.FI)
                && !expected.contains(GrubLexer.DONE) && !expected.contains(GrubLexer.RBR);
        if (wantedCommand && isCloser(token.getType()) && open != null) {
            return "unexpected " + found + ": GRUB needs at least one command here (in " + opened(open) + ")";
        }
        if (token.getType() == GrubLexer.LBR) {
            return "unexpected `{': a block can only be the last argument of a command";
        }
        if (token.getType() == GrubLexer.NEWLINE || token.getType() == GrubLexer.SEMI) {
            String what = token.getType() == GrubLexer.NEWLINE ? "end of line" : "`;'";
            if (context instanceof GrubParser.ForCommandContext) {
                return "unexpected " + what + ": the form is `for NAME in WORDS; do COMMANDS; done'";
            }
            if (context instanceof GrubParser.FunctionDefContext) {
                return "unexpected " + what + ": the form is `function NAME { COMMANDS }'";
            }
            return "unexpected " + what + (open == null ? "" : " in " + opened(open));
        }
        if (context instanceof GrubParser.ForCommandContext) {
            return "unexpected " + found + ": the form is `for NAME in WORDS; do COMMANDS; done'";
        }
        if (context instanceof GrubParser.FunctionDefContext) {
            return "unexpected " + found + ": the form is `function NAME { COMMANDS }'";
        }
        if (isCloser(token.getType()) || token.getType() == GrubLexer.THEN || token.getType() == GrubLexer.DO) {
            String hint = open == null ? " (nothing is open here)" : " in " + opened(open);
            if (token.getType() == GrubLexer.THEN || token.getType() == GrubLexer.DO) {
                hint += "; it must follow a `;' or a new line";
            }
            return "unexpected " + found + hint;
        }
        return "unexpected " + found + (open == null ? "" : " in " + opened(open));
    }

    /** The input from the token on (a bad word's token stops where the lexer gave up, not where the problem is). */
    private static String restOfInput(Token token) {
        org.antlr.v4.runtime.CharStream input = token.getInputStream();
        int end = Math.min(input.size() - 1, token.getStartIndex() + 65536);
        return input.getText(org.antlr.v4.runtime.misc.Interval.of(token.getStartIndex(), end));
    }

    private static boolean isCloser(int type) {
        return type == GrubLexer.FI || type == GrubLexer.DONE || type == GrubLexer.RBR || type == GrubLexer.ELSE
                || type == GrubLexer.ELIF || type == GrubLexer.THEN || type == GrubLexer.DO;
    }

    private static String shown(Token token) {
        if (token.getType() == Token.EOF) {
            return "end of file";
        }
        if (token.getType() == GrubLexer.NEWLINE) {
            return "end of line";
        }
        String text = token.getText();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return "`" + text.replace("\n", "\\n") + "'";
    }

    private static String badCharacter(String text) {
        if ("$".equals(text)) {
            return "`$' must start a variable: $name, ${name}, $1, $?, $#, $* or $@ (quote it with '$' to mean a dollar)";
        }
        if ("\\".equals(text)) {
            return "unexpected end of file after a backslash";
        }
        return "unexpected character `" + text + "'";
    }

    /** The innermost construct that is still open at the error, or null at the top level. */
    private static ParserRuleContext innermostOpen(ParserRuleContext context) {
        for (ParserRuleContext c = context; c != null; c = c.getParent()) {
            if (c instanceof GrubParser.IfCommandContext || c instanceof GrubParser.ForCommandContext
                    || c instanceof GrubParser.WhileCommandContext || c instanceof GrubParser.BlockContext
                    || c instanceof GrubParser.FunctionDefContext) {
                return c;
            }
        }
        return null;
    }

    private static String opened(ParserRuleContext open) {
        Token start = open.getStart();
        String where = " opened at line " + start.getLine() + " column " + (start.getCharPositionInLine() + 1);
        if (open instanceof GrubParser.IfCommandContext) {
            return "`if'" + where + " (closed by `fi')";
        }
        if (open instanceof GrubParser.ForCommandContext) {
            return "`for'" + where + " (closed by `done')";
        }
        if (open instanceof GrubParser.WhileCommandContext) {
            return "`" + start.getText() + "'" + where + " (closed by `done')";
        }
        if (open instanceof GrubParser.FunctionDefContext) {
            return "function" + where + " (closed by `}')";
        }
        return "`{'" + where + " (closed by `}')";
    }
}
