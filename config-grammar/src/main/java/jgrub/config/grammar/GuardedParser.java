package jgrub.config.grammar;

import java.util.Arrays;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.TokenStream;

/**
 * The generated parser with an explicit bound on nesting, so that deep input is an error, not a stack overflow; it
 * reports every rule it enters and leaves to an {@link AstBuilder}, which builds the AST as the parse goes.
 */
final class GuardedParser extends GrubParser {

    int depth;
    private final AstBuilder builder;
    /** Set when the chunk has failed: rules still close as the failure unwinds, but their results are incomplete. */
    private boolean abandoned;
    /** The rules open now, innermost last (asking each context for its rule is a call to one of 14 classes). */
    private int[] rules = new int[64];
    private int open;

    GuardedParser(TokenStream input, AstBuilder builder) {
        super(input);
        this.builder = builder;
    }

    /** Gets ready to parse a chunk (again, after a failed first attempt). */
    void restart() {
        depth = 0;
        open = 0;
        abandoned = false;
        setContext(null);
        builder.reset();
    }

    /** Marks the chunk failed; returns {@code failure} for the caller to throw. */
    ChunkFailure abandon(ChunkFailure failure) {
        abandoned = true;
        return failure;
    }

    @Override
    public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
        super.enterRule(localctx, state, ruleIndex);
        if (ruleIndex == RULE_command && ++depth > ScriptParser.MAX_NESTING) {
            throw abandon(new ChunkFailure(getCurrentToken(),
                    "commands are nested more than " + ScriptParser.MAX_NESTING + " levels deep", true));
        }
        if (open == rules.length) {
            rules = Arrays.copyOf(rules, open * 2);
        }
        rules[open++] = ruleIndex;
        builder.enter(ruleIndex);
    }

    @Override
    public void exitRule() {
        ParserRuleContext context = getContext();
        int rule = rules[--open];
        if (rule == RULE_command) {
            depth--;
        }
        super.exitRule();
        if (!abandoned) {
            builder.exit(rule, context);
        }
    }
}
