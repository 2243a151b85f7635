package jgrub.config.grammar;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Base of every GrubParser context (the grammar's {@code contextSuperClass}): sizes a context's list of children for
 * its rule. ANTLR starts every list at ten slots; most contexts here hold one child (a word, an argument), and a config
 * makes hundreds of thousands of them, so the empty slots were most of what the parse allocated.
 */
public class GrubContext extends ParserRuleContext {

    public GrubContext() {
    }

    public GrubContext(ParserRuleContext parent, int invokingStateNumber) {
        super(parent, invokingStateNumber);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T child) {
        if (children == null) {
            children = new java.util.ArrayList<>(expectedChildren(getRuleIndex()));
        }
        children.add(child);
        return child;
    }

    private static int expectedChildren(int rule) {
        return switch (rule) {
            case GrubParser.RULE_statement, GrubParser.RULE_command, GrubParser.RULE_word, GrubParser.RULE_argument,
                    GrubParser.RULE_keyword, GrubParser.RULE_delimiters -> 1;
            case GrubParser.RULE_simpleCommand, GrubParser.RULE_block, GrubParser.RULE_commandList -> 4;
            default -> 8;
        };
    }
}
