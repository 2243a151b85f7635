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
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the immutable AST from parse trees; generated contexts never leave this package. */
final class AstBuilder {

    private final ScriptParser.Shift shift;
    private final String source;
    private final GrubWordLexer wordLexer = new GrubWordLexer(SourceChars.of("", null));

    AstBuilder(ScriptParser.Shift shift, String source) {
        this.shift = shift;
        this.source = source;
        wordLexer.removeErrorListeners();
        wordLexer.setInterpreter(new EndOfWordSimulator(wordLexer, GrubWordLexer._ATN, GrubWordLexer._decisionToDFA,
                GrubWordLexer._sharedContextCache));
    }

    List<Statement> chunk(GrubParser.ChunkContext chunk) {
        List<Statement> out = new ArrayList<>();
        for (ParseTree child : children(chunk)) {
            if (child instanceof GrubParser.StatementContext statement) {
                ParseTree inner = statement.getChild(0);
                out.add(inner instanceof GrubParser.CommandContext c
                        ? command(c) : function((GrubParser.FunctionDefContext) inner));
            }
        }
        return out;
    }

    /*
     * The walks below read each context's children once, in order, instead of through the generated accessors: those
     * scan all children again for every call (and build a list each time), which for a submenu of 900 entries is most
     * of the cost of building the tree.
     */

    private FunctionDef function(GrubParser.FunctionDefContext context) {
        return new FunctionDef(context.NAME().getText(), commands(context.commandList()), at(context.getStart()));
    }

    private Command command(GrubParser.CommandContext context) {
        ParseTree inner = context.getChild(0);
        if (inner instanceof GrubParser.SimpleCommandContext simple) {
            return simple(simple);
        }
        if (inner instanceof GrubParser.IfCommandContext ifCommand) {
            return ifCommand(ifCommand);
        }
        if (inner instanceof GrubParser.ForCommandContext f) {
            List<Word> words = new ArrayList<>();
            CommandList body = null;
            for (ParseTree child : children(f)) {
                if (child instanceof GrubParser.ArgumentContext argument) {
                    words.add(argument(argument));
                } else if (child instanceof GrubParser.CommandListContext list) {
                    body = commands(list);
                }
            }
            return new ForCommand(f.NAME().getText(), words, body, at(f.getStart()));
        }
        GrubParser.WhileCommandContext w = (GrubParser.WhileCommandContext) inner;
        return new WhileCommand(commands(w.commandList(0)), commands(w.commandList(1)), w.UNTIL() != null,
                at(w.getStart()));
    }

    private IfCommand ifCommand(GrubParser.IfCommandContext context) {
        List<CommandList> lists = new ArrayList<>();
        boolean hasElse = false;
        for (ParseTree child : children(context)) {
            if (child instanceof GrubParser.CommandListContext list) {
                lists.add(commands(list));
            } else if (child instanceof TerminalNode terminal && terminal.getSymbol().getType() == GrubLexer.ELSE) {
                hasElse = true;
            }
        }
        List<IfCommand.Branch> branches = new ArrayList<>();
        int conditions = (hasElse ? lists.size() - 1 : lists.size()) / 2;
        for (int i = 0; i < conditions; i++) {
            branches.add(new IfCommand.Branch(lists.get(2 * i), lists.get(2 * i + 1)));
        }
        Optional<CommandList> otherwise = hasElse ? Optional.of(lists.get(lists.size() - 1)) : Optional.empty();
        return new IfCommand(branches, otherwise, at(context.getStart()));
    }

    private CommandList commands(GrubParser.CommandListContext context) {
        List<Command> commands = new ArrayList<>();
        for (ParseTree child : children(context)) {
            if (child instanceof GrubParser.CommandContext command) {
                commands.add(command(command));
            }
        }
        return new CommandList(commands);
    }

    private SimpleCommand simple(GrubParser.SimpleCommandContext context) {
        List<ParseTree> children = children(context);
        List<Word> words = new ArrayList<>(children.size());
        Optional<Block> block = Optional.empty();
        for (ParseTree child : children) {
            if (child instanceof GrubParser.ArgumentContext argument) {
                words.add(argument(argument));
            } else if (child instanceof GrubParser.WordContext word) {
                words.add(word(word.getStart()));
            } else if (child instanceof GrubParser.BlockContext b) {
                Token open = b.LBR().getSymbol();
                Token close = b.RBR().getSymbol();
                String text = source.substring(open.getStopIndex() + 1, close.getStartIndex());
                block = Optional.of(new Block(commands(b.commandList()), text, at(open)));
            }
        }
        return new SimpleCommand(words, block, at(context.getStart()));
    }

    private static List<ParseTree> children(ParserRuleContext context) {
        return context.children == null ? List.of() : context.children;
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
        wordLexer.setInputStream(SourceChars.of(text, null));
        for (Token t = wordLexer.nextToken(); t.getType() != Token.EOF; t = wordLexer.nextToken()) {
            // Token text is read from `text` by index: no string per token.
            int start = t.getStartIndex();
            int end = t.getStopIndex() + 1;
            switch (t.getType()) {
                case GrubWordLexer.ESCAPED, GrubWordLexer.LONE_BSLASH, GrubWordLexer.TEXT ->
                        plain.append(text, start, end);
                case GrubWordLexer.VAR -> {
                    flush(parts, plain, WordPart.Quoting.NONE);
                    parts.add(new WordPart.Variable(variableName(text, start, end), false));
                }
                case GrubWordLexer.DQ_OPEN, GrubWordLexer.SQ_OPEN, GrubWordLexer.I18N_OPEN ->
                        flush(parts, plain, WordPart.Quoting.NONE);
                case GrubWordLexer.DQ_DOLLAR -> quoted.append('$');
                case GrubWordLexer.DQ_BSLASH -> quoted.append('\\');
                case GrubWordLexer.DQ_QUOTE, GrubWordLexer.I18N_QUOTE -> quoted.append('"');
                case GrubWordLexer.DQ_TEXT, GrubWordLexer.DQ_OTHER, GrubWordLexer.SQ_TEXT, GrubWordLexer.I18N_TEXT,
                        GrubWordLexer.I18N_OTHER, GrubWordLexer.I18N_BSLASH -> quoted.append(text, start, end);
                case GrubWordLexer.DQ_VAR -> {
                    if (quoted.length() > 0) {
                        parts.add(new WordPart.Literal(quoted.toString(), WordPart.Quoting.DOUBLE));
                        quoted.setLength(0);
                    }
                    parts.add(new WordPart.Variable(variableName(text, start, end), true));
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

    /** The name in the reference {@code $name} or {@code ${name}} at {@code text[start, end)}. */
    private static String variableName(String text, int start, int end) {
        return text.charAt(start + 1) == '{' ? text.substring(start + 2, end - 1) : text.substring(start + 1, end);
    }

    private Position at(Token token) {
        return shift.at(token);
    }
}
