package jgrub.config.grammar;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Builds the immutable AST while GrubParser parses, from the parser's rule entries and exits ({@link GuardedParser}
 * reports them), so that no parse tree has to be built and walked: the tree was most of what a parse allocated.
 *
 * <p>Each rule that closes leaves its node on a stack of values; a rule with several parts marks the stack when it
 * opens and, when it closes, replaces what lies above its mark with its own node. What each rule leaves:
 * {@code argument} (of {@code for}): a {@link Word}; {@code block}: a {@link Block}; {@code commandList}: a
 * {@link CommandList}; {@code simpleCommand}, {@code ifCommand}, {@code forCommand}, {@code whileCommand}: a
 * {@link Command}; {@code functionDef}: a {@link FunctionDef}. After a chunk the stack holds its statements.
 */
final class AstBuilder {

    private final ScriptParser.Shift shift;
    private final String source;
    private final TokenStream tokens;
    private final Words words;
    private Object[] values = new Object[64];
    private int top;
    private int[] marks = new int[16];
    private int open;

    AstBuilder(ScriptParser.Shift shift, String source, TokenStream tokens) {
        this.shift = shift;
        this.source = source;
        this.tokens = tokens;
        this.words = new Words(source);
    }

    /** Forgets a chunk's partial results: before it is parsed, and again when it is parsed a second time. */
    void reset() {
        Arrays.fill(values, 0, top, null);
        top = 0;
        open = 0;
    }

    /** The statements of the chunk just parsed. */
    List<Statement> statements() {
        List<Statement> out = new ArrayList<>(top);
        for (int i = 0; i < top; i++) {
            out.add((Statement) values[i]);
        }
        reset();
        return out;
    }

    void enter(int rule) {
        switch (rule) {
            case GrubParser.RULE_simpleCommand, GrubParser.RULE_commandList, GrubParser.RULE_ifCommand,
                    GrubParser.RULE_forCommand, GrubParser.RULE_whileCommand -> {
                if (open == marks.length) {
                    marks = Arrays.copyOf(marks, open * 2);
                }
                marks[open++] = top;
            }
            default -> {
                // Leaves a single value, or none: nothing to mark.
            }
        }
    }

    void exit(int rule, ParserRuleContext context) {
        switch (rule) {
            case GrubParser.RULE_argument -> push(words.word(context.getStart(), at(context.getStart())));
            case GrubParser.RULE_simpleCommand -> simpleCommand(context);
            case GrubParser.RULE_block -> block(context);
            case GrubParser.RULE_commandList -> commandList();
            case GrubParser.RULE_ifCommand -> ifCommand(context.getStart());
            case GrubParser.RULE_forCommand -> forCommand(context.getStart());
            case GrubParser.RULE_whileCommand -> whileCommand(context.getStart());
            case GrubParser.RULE_functionDef -> functionDef(context.getStart());
            default -> {
                // chunk, statement, command and delimiters add nothing of their own.
            }
        }
    }

    /** The words are the rule's tokens up to its block, if any (a word is never `{'); only the block is on the stack. */
    private void simpleCommand(ParserRuleContext context) {
        Token start = context.getStart();
        int from = marks[--open];
        Optional<Block> block = from < top ? Optional.of((Block) values[top - 1]) : Optional.empty();
        int first = start.getTokenIndex();
        int last = context.getStop().getTokenIndex();
        int end = first + 1;
        while (end <= last && tokens.get(end).getType() != GrubLexer.LBR) {
            end++;
        }
        Object[] list = new Object[end - first];
        Position position = at(start);
        list[0] = words.word(start, position);
        for (int i = first + 1; i < end; i++) {
            Token token = tokens.get(i);
            list[i - first] = words.word(token, at(token));
        }
        pop(from);
        push(new SimpleCommand(list(list), block, position));
    }

    private void block(ParserRuleContext context) {
        Token brace = context.getStart();
        String text = source.substring(brace.getStopIndex() + 1, context.getStop().getStartIndex());
        CommandList body = (CommandList) values[--top];
        values[top] = null;
        push(new Block(body, text, at(brace)));
    }

    private void commandList() {
        int from = marks[--open];
        CommandList commands = new CommandList(list(from, top));
        pop(from);
        push(commands);
    }

    /** Two lists per condition (the condition, then its body), then the else body when there is one. */
    private void ifCommand(Token start) {
        int from = marks[--open];
        int lists = top - from;
        List<IfCommand.Branch> branches = new ArrayList<>(lists / 2);
        for (int i = from; i + 1 < top; i += 2) {
            branches.add(new IfCommand.Branch((CommandList) values[i], (CommandList) values[i + 1]));
        }
        Optional<CommandList> otherwise = lists % 2 == 1
                ? Optional.of((CommandList) values[top - 1]) : Optional.empty();
        pop(from);
        push(new IfCommand(branches, otherwise, at(start)));
    }

    /** for NAME in WORDS...; do BODY; done */
    private void forCommand(Token start) {
        int from = marks[--open];
        ForCommand loop = new ForCommand(nameAfter(start), list(from, top - 1), (CommandList) values[top - 1],
                at(start));
        pop(from);
        push(loop);
    }

    private void whileCommand(Token start) {
        int from = marks[--open];
        WhileCommand loop = new WhileCommand((CommandList) values[from], (CommandList) values[from + 1],
                start.getType() == GrubLexer.UNTIL, at(start));
        pop(from);
        push(loop);
    }

    /** function NAME { BODY } */
    private void functionDef(Token start) {
        CommandList body = (CommandList) values[--top];
        values[top] = null;
        push(new FunctionDef(nameAfter(start), body, at(start)));
    }

    /** The values from {@code from} to {@code to} as an immutable list, which the AST records keep without a copy. */
    @SuppressWarnings("unchecked")
    private <T> List<T> list(int from, int to) {
        return switch (to - from) {
            case 0 -> List.of();
            case 1 -> List.of((T) values[from]);
            case 2 -> List.of((T) values[from], (T) values[from + 1]);
            default -> list(Arrays.copyOfRange(values, from, to));
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object[] array) {
        return (List<T>) List.of(array);
    }

    /** The NAME token that the grammar puts right after {@code keyword} (in {@code for} and {@code function}). */
    private String nameAfter(Token keyword) {
        return tokens.get(keyword.getTokenIndex() + 1).getText();
    }

    private void push(Object value) {
        if (top == values.length) {
            values = Arrays.copyOf(values, top * 2);
        }
        values[top++] = value;
    }

    private void pop(int to) {
        Arrays.fill(values, to, top, null);
        top = to;
    }

    private Position at(Token token) {
        return shift.at(token);
    }
}
