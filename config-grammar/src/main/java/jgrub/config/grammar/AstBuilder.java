package jgrub.config.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.config.ast.Block;
import jgrub.config.ast.Command;
import jgrub.config.ast.CommandList;
import jgrub.config.ast.ForCommand;
import jgrub.config.ast.FunctionDef;
import jgrub.config.ast.IfCommand;
import jgrub.config.ast.Position;
import jgrub.config.ast.SimpleCommand;
import jgrub.config.ast.Statement;
import jgrub.config.ast.WhileCommand;
import jgrub.config.ast.Word;
import jgrub.config.ast.WordPart;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/** Builds the immutable AST from parse trees; generated contexts never leave this package. */
final class AstBuilder {

    private final ScriptParser.Shift shift;
    private final String source;
    private final GrubWordLexer wordLexer = new GrubWordLexer(CharStreams.fromString(""));

    AstBuilder(ScriptParser.Shift shift, String source) {
        this.shift = shift;
        this.source = source;
        wordLexer.removeErrorListeners();
    }

    List<Statement> chunk(GrubParser.ChunkContext chunk) {
        List<Statement> out = new ArrayList<>();
        for (GrubParser.StatementContext statement : chunk.statement()) {
            out.add(statement.command() != null ? command(statement.command()) : function(statement.functionDef()));
        }
        return out;
    }

    private FunctionDef function(GrubParser.FunctionDefContext context) {
        return new FunctionDef(context.NAME().getText(), commands(context.commandList()), at(context.getStart()));
    }

    private Command command(GrubParser.CommandContext context) {
        if (context.simpleCommand() != null) {
            return simple(context.simpleCommand());
        }
        if (context.ifCommand() != null) {
            return ifCommand(context.ifCommand());
        }
        if (context.forCommand() != null) {
            GrubParser.ForCommandContext f = context.forCommand();
            List<Word> words = new ArrayList<>();
            for (GrubParser.ArgumentContext argument : f.argument()) {
                words.add(argument(argument));
            }
            return new ForCommand(f.NAME().getText(), words, commands(f.commandList()), at(f.getStart()));
        }
        GrubParser.WhileCommandContext w = context.whileCommand();
        return new WhileCommand(commands(w.commandList(0)), commands(w.commandList(1)), w.UNTIL() != null,
                at(w.getStart()));
    }

    private IfCommand ifCommand(GrubParser.IfCommandContext context) {
        List<GrubParser.CommandListContext> lists = context.commandList();
        List<IfCommand.Branch> branches = new ArrayList<>();
        int conditions = 1 + context.ELIF().size();
        for (int i = 0; i < conditions; i++) {
            branches.add(new IfCommand.Branch(commands(lists.get(2 * i)), commands(lists.get(2 * i + 1))));
        }
        Optional<CommandList> otherwise = context.ELSE() != null
                ? Optional.of(commands(lists.get(lists.size() - 1)))
                : Optional.empty();
        return new IfCommand(branches, otherwise, at(context.getStart()));
    }

    private CommandList commands(GrubParser.CommandListContext context) {
        List<Command> commands = new ArrayList<>();
        for (GrubParser.CommandContext command : context.command()) {
            commands.add(command(command));
        }
        return new CommandList(commands);
    }

    private SimpleCommand simple(GrubParser.SimpleCommandContext context) {
        List<Word> words = new ArrayList<>();
        words.add(word(context.word().getStart()));
        for (GrubParser.ArgumentContext argument : context.argument()) {
            words.add(argument(argument));
        }
        Optional<Block> block = Optional.empty();
        if (context.block() != null) {
            GrubParser.BlockContext b = context.block();
            Token open = b.LBR().getSymbol();
            Token close = b.RBR().getSymbol();
            String text = source.substring(open.getStopIndex() + 1, close.getStartIndex());
            block = Optional.of(new Block(commands(b.commandList()), text, at(open)));
        }
        return new SimpleCommand(words, block, at(context.getStart()));
    }

    private Word argument(GrubParser.ArgumentContext context) {
        return word(context.getStart());
    }

    /** Splits one WORD, NAME or keyword token into parts with GrubWordLexer (GRUB's SPLIT/DQUOTE/... states). */
    private Word word(Token token) {
        String text = token.getText();
        Position position = at(token);
        if (token.getType() != GrubLexer.WORD || isPlain(text)) {
            return new Word(List.of(new WordPart.Literal(text, WordPart.Quoting.NONE)), text, position);
        }
        List<WordPart> parts = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        StringBuilder quoted = new StringBuilder();
        wordLexer.setInputStream(CharStreams.fromString(text));
        for (Token t = wordLexer.nextToken(); t.getType() != Token.EOF; t = wordLexer.nextToken()) {
            String s = t.getText();
            switch (t.getType()) {
                case GrubWordLexer.ESCAPED, GrubWordLexer.LONE_BSLASH, GrubWordLexer.TEXT -> plain.append(s);
                case GrubWordLexer.VAR -> {
                    flush(parts, plain, WordPart.Quoting.NONE);
                    parts.add(new WordPart.Variable(variableName(s), false));
                }
                case GrubWordLexer.DQ_OPEN, GrubWordLexer.SQ_OPEN, GrubWordLexer.I18N_OPEN ->
                        flush(parts, plain, WordPart.Quoting.NONE);
                case GrubWordLexer.DQ_DOLLAR -> quoted.append('$');
                case GrubWordLexer.DQ_BSLASH -> quoted.append('\\');
                case GrubWordLexer.DQ_QUOTE, GrubWordLexer.I18N_QUOTE -> quoted.append('"');
                case GrubWordLexer.DQ_TEXT, GrubWordLexer.DQ_OTHER, GrubWordLexer.SQ_TEXT, GrubWordLexer.I18N_TEXT,
                        GrubWordLexer.I18N_OTHER, GrubWordLexer.I18N_BSLASH -> quoted.append(s);
                case GrubWordLexer.DQ_VAR -> {
                    if (quoted.length() > 0) {
                        parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.DOUBLE));
                        quoted.setLength(0);
                    }
                    parts.add(new WordPart.Variable(variableName(s), true));
                }
                // A quoted string always yields a quoted literal, even an empty one: "" is an (empty) argument.
                case GrubWordLexer.DQ_CLOSE -> {
                    parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.DOUBLE));
                    quoted.setLength(0);
                }
                case GrubWordLexer.SQ_CLOSE -> {
                    parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.SINGLE));
                    quoted.setLength(0);
                }
                case GrubWordLexer.I18N_CLOSE -> {
                    parts.add(new WordPart.Gettext(quoted.toString()));
                    quoted.setLength(0);
                }
                default -> throw new IllegalStateException("word lexer token " + t.getType() + " in " + text);
            }
        }
        flush(parts, plain, WordPart.Quoting.NONE);
        return new Word(parts, text, position);
    }

    /** A word without quotes, variables or escapes is one unquoted literal; most words are (paths, options). */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '$' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void flush(List<WordPart> parts, StringBuilder text, WordPart.Quoting quoting) {
        if (text.length() > 0) {
            parts.add(new WordPart.Literal(text.toString(), quoting));
            text.setLength(0);
        }
    }

    private static String variableName(String reference) {
        return reference.startsWith("${") ? reference.substring(2, reference.length() - 1) : reference.substring(1);
    }

    private Position at(Token token) {
        return shift.at(token);
    }
}
