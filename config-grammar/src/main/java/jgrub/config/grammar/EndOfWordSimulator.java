package jgrub.config.grammar;

import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.atn.LexerATNSimulator;
import org.antlr.v4.runtime.atn.PredictionContextCache;
import org.antlr.v4.runtime.dfa.DFA;
import org.antlr.v4.runtime.dfa.DFAState;

/**
 * ANTLR's lexer simulator for GrubWordLexer, told what end of input does. The stock simulator caches DFA edges only for
 * characters 0 to 127, so the step onto end of input is worked out from the ATN again every time; GrubWordLexer reads
 * one word per input, so that is once per word, and it was a tenth of the cost of splitting words.
 *
 * <p>No rule of GrubWordLexer mentions EOF, so no transition matches it and the ATN always answers "no token continues
 * here": the error state, from which the simulator accepts the longest token matched so far, or returns EOF when there
 * is none. This class gives that answer directly.
 */
final class EndOfWordSimulator extends LexerATNSimulator {

    EndOfWordSimulator(Lexer lexer, ATN atn, DFA[] decisionToDFA, PredictionContextCache cache) {
        super(lexer, atn, decisionToDFA, cache);
    }

    @Override
    protected DFAState getExistingTargetState(DFAState state, int symbol) {
        return symbol == IntStream.EOF ? ERROR : super.getExistingTargetState(state, symbol);
    }
}
