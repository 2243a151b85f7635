package jgrub.config.grammar;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.TokenStream;

/** The generated parser with an explicit bound on nesting, so that deep input is an error, not a stack overflow. */
final class GuardedParser extends GrubParser {

    int depth;

    GuardedParser(TokenStream input) {
        super(input);
    }

    @Override
    public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
        super.enterRule(localctx, state, ruleIndex);
        if (ruleIndex == RULE_command && ++depth > ScriptParser.MAX_NESTING) {
            throw new ChunkFailure(getCurrentToken(),
                    "commands are nested more than " + ScriptParser.MAX_NESTING + " levels deep", true);
        }
    }

    @Override
    public void exitRule() {
        if (getContext() != null && getContext().getRuleIndex() == RULE_command) {
            depth--;
        }
        super.exitRule();
    }
}
