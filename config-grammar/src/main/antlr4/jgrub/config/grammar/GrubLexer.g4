/*
 * The GRUB 2 script language, tokens. Follows grub-core/script/yylex.l (INITIAL state): the same token set, the same
 * WORD shape, flex's longest-match-then-first-rule choice (which ANTLR shares), so keywords win over NAME and WORD only
 * when they are the whole token ("if" is IF, "iffy" and "done=1" are words).
 *
 * Differences from yylex.l, all invisible to a script:
 * - yylex.l reads one line at a time and re-reads multi-line quotes and backslash-newlines through "unput"; here the
 *   whole text is one stream, so a quoted string or an escape may simply span lines.
 * - A word never starts with '#': there yylex.l's COMMENT rule always wins (a comment runs to the end of the line and
 *   flex counts the '$' trailing context), so `echo a#b` is one word and `echo #b` is a comment.
 * - yylex.l accepts any '$' inside "..." in INITIAL state and rejects a '$' that starts no variable only when it splits
 *   the word; here DQCHR says so directly, and the word falls to BAD.
 * - Where no word can be completed (an unterminated quote, a '$' that starts no variable) the lexer falls to BAD, one
 *   character no parser rule accepts; the parser driver reads the input from there to word a precise message.
 */
lexer grammar GrubLexer;

NEWLINE  : '\n' ;
BLANK    : [ \t\r\f\u000B]+ -> skip ;
COMMENT  : '#' ~'\n'* -> skip ;

OR       : '||' ;
AND      : '&&' ;
SEMI2    : ';;' ;
PIPE     : '|' ;
AMP      : '&' ;
SEMI     : ';' ;
LT       : '<' ;
GT       : '>' ;
LBR      : '{' ;
RBR      : '}' ;
LSQBR2   : '[[' ;
RSQBR2   : ']]' ;

CASE     : 'case' ;
DO       : 'do' ;
DONE     : 'done' ;
ELIF     : 'elif' ;
ELSE     : 'else' ;
ESAC     : 'esac' ;
FI       : 'fi' ;
FOR      : 'for' ;
IF       : 'if' ;
IN       : 'in' ;
SELECT   : 'select' ;
THEN     : 'then' ;
UNTIL    : 'until' ;
WHILE    : 'while' ;
FUNCTION : 'function' ;

NAME     : NAME_F ;
WORD     : WORD_START WORD_PART* ;

BAD      : . ;

fragment NAME_F     : [a-zA-Z_] [a-zA-Z0-9_]* ;
fragment DIGITS     : [0-9]+ ;
fragment SPECIAL    : [?#*@] ;
fragment VARIABLE   : '$' ( NAME_F | DIGITS | SPECIAL ) | '${' ( NAME_F | DIGITS | SPECIAL ) '}' ;
fragment ESC        : '\\' . ;
fragment CHAR       : ~[{}|&$;<> \t\r\f\u000B\n'"\\] ;
fragment CHAR_START : ~[{}|&$;<> \t\r\f\u000B\n'"\\#] ;
fragment DQCHR      : ESC | VARIABLE | ~["\\$] ;
fragment I18NCHR    : ESC | ~["\\] ;
fragment DQSTR      : '"' DQCHR* '"' ;
fragment SQSTR      : '\'' ~'\''* '\'' ;
fragment I18NSTR    : '$"' I18NCHR* '"' ;
fragment WORD_PART  : CHAR | DQSTR | SQSTR | ESC | VARIABLE | I18NSTR ;
fragment WORD_START : CHAR_START | DQSTR | SQSTR | ESC | VARIABLE | I18NSTR ;
