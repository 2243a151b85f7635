package jgrub.config.grammar;

import java.util.ArrayList;
import java.util.List;
import jgrub.config.ast.Position;
import jgrub.config.ast.Script;
import jgrub.config.ast.Statement;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Parses GRUB script text into a {@link Script} and a list of syntax errors, the way GRUB reads a config file: one
 * top-level chunk at a time (the statements ending on one line), so that after an error the rest of that line is
 * dropped and parsing resumes on the next line, and every error in a file is reported, not only the first.
 *
 * <p>Thread-safe; parsing runs on a deep-stack thread and nesting is bounded by {@link #MAX_NESTING}.
 */
public final class ScriptParser {

    /**
     * Deepest nesting of commands (if/for/while bodies, blocks) accepted. GRUB's bison parser runs out of stack
     * ("memory exhausted") near 1,665 nested {@code if}s; real configs nest three or four deep.
     */
    public static final int MAX_NESTING = 1000;

    /** Syntax errors reported at most per file; after that the file is not parsed further. */
    public static final int MAX_ERRORS = 200;

    private ScriptParser() {
    }

    /** Parses {@code text}; {@code file} names it in positions. Carriage returns are dropped, as GRUB drops them. */
    public static ParseResult parse(String file, String text) {
        return DeepStack.get(() -> parseHere(file, text, 1, 1));
    }

    /**
     * Parses text that sits inside a larger file (a block body or a {@code --source} string); positions are shifted
     * so that the first character of {@code text} is at {@code line}:{@code column}.
     */
    public static ParseResult parse(String file, String text, int line, int column) {
        return DeepStack.get(() -> parseHere(file, text, line, column));
    }

    private static ParseResult parseHere(String file, String text, int line, int column) {
        String source = text.indexOf('\r') >= 0 ? text.replace("\r", "") : text;
        Shift shift = new Shift(file, line, column);
        GrubLexer lexer = new BlankSkippingLexer(SourceChars.of(source, file));
        lexer.removeErrorListeners();
        // A generated config has about one token per ten characters (17,838 lines: 909 KB, 88,000 tokens).
        CommonTokenStream tokens = new FilledTokenStream(lexer, source.length() / 8);
        AstBuilder builder = new AstBuilder(shift, source, tokens);
        GuardedParser parser = new GuardedParser(tokens, builder);
        parser.removeErrorListeners();
        parser.setErrorHandler(new FailFast());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setBuildParseTree(false);

        List<Statement> statements = new ArrayList<>();
        List<SyntaxError> errors = new ArrayList<>();
        boolean hasCommands = false;
        while (tokens.LA(1) != Token.EOF) {
            int start = tokens.index();
            try {
                parseChunk(parser, tokens, start);
            } catch (ChunkFailure failure) {
                errors.add(new SyntaxError(shift.at(failure.token), failure.getMessage(), failure.grubPrints));
                if (failure.nesting) {
                    // Resuming inside a nest this deep only repeats the error for every level; stop here.
                    errors.add(new SyntaxError(shift.at(failure.token), "the rest of the file was not parsed"));
                    break;
                }
                if (failure.getMessage().startsWith("unterminated")) {
                    // The open quote takes the rest of the file, as in GRUB: there is nothing more to parse.
                    break;
                }
                if (errors.size() >= MAX_ERRORS) {
                    errors.add(new SyntaxError(shift.at(failure.token),
                            "too many syntax errors; the rest of the file was not parsed"));
                    break;
                }
                skipRestOfLine(tokens, failure.token);
                continue;
            }
            List<Statement> parsed = builder.statements();
            for (Statement statement : parsed) {
                hasCommands |= statement instanceof jgrub.config.ast.Command;
            }
            statements.addAll(parsed);
        }
        // GRUB reads the line after a trailing backslash-newline; at the end of the file there is none (grub-script-check
        // reports "out of memory", grub-emu "unexpected end of file").
        Token last = lastToken(tokens);
        if (last != null && last.getType() == GrubLexer.WORD && last.getText().endsWith("\n")
                && last.getStopIndex() == source.length() - 1) {
            errors.add(new SyntaxError(shift.at(last),
                    "unexpected end of file after a backslash that continues the line"));
        }
        return new ParseResult(new Script(file, statements), errors, hasCommands);
    }

    private static Token lastToken(CommonTokenStream tokens) {
        List<Token> all = tokens.getTokens();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).getType() != Token.EOF) {
                return all.get(i);
            }
        }
        return null;
    }

    /**
     * One chunk: fast SLL prediction first, building no parse tree (the AST is built as the parse goes). Only a failure
     * is parsed again, with full LL to confirm it and with the tree, from which the error message is worded.
     */
    private static void parseChunk(GuardedParser parser, CommonTokenStream tokens, int start) {
        try {
            parser.restart();
            parser.chunk();
        } catch (ChunkFailure sllFailure) {
            if (sllFailure.nesting) {
                throw sllFailure;
            }
            tokens.seek(start);
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setBuildParseTree(true);
            try {
                parser.restart();
                parser.chunk();
            } finally {
                parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
                parser.setBuildParseTree(false);
            }
        }
    }

    /** GRUB drops the rest of the line that holds the error (its lexer has read that line) and goes on. */
    private static void skipRestOfLine(CommonTokenStream tokens, Token offending) {
        int index = Math.max(offending.getTokenIndex(), tokens.index());
        tokens.seek(index);
        while (tokens.LA(1) != Token.EOF) {
            int type = tokens.LA(1);
            tokens.consume();
            if (type == GrubLexer.NEWLINE) {
                break;
            }
        }
    }

    /** Maps positions in the parsed text to positions in the file it came from. */
    record Shift(String file, int line, int column) {

        Position at(Token token) {
            return at(token.getLine(), token.getCharPositionInLine());
        }

        /** {@code line} is 1-based and {@code charInLine} 0-based, as ANTLR counts. */
        Position at(int line, int charInLine) {
            int column = line == 1 ? this.column + charInLine : charInLine + 1;
            return new Position(file, this.line + line - 1, column);
        }
    }
}
