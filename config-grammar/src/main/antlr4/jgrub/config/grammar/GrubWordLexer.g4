/*
 * The inside of one WORD token, as yylex.l's SPLIT, DQUOTE, SQUOTE, I18NQUOTE and VAR states re-read it. GrubLexer has
 * already checked the word's shape, so every input here is well formed.
 *
 * Unquoted text keeps its backslashes (GRUB removes them only after wildcard expansion); inside "..." only \$, \\, \"
 * and backslash-newline are escapes; '...' is literal; $"..." keeps its text for gettext-style expansion at run time.
 */
lexer grammar GrubWordLexer;

ESCAPED     : '\\' ~'\n' ;
CONTINUED   : '\\\n' -> skip ;
LONE_BSLASH : '\\' ;
DQ_OPEN     : '"' -> pushMode(DQUOTE) ;
SQ_OPEN     : '\'' -> pushMode(SQUOTE) ;
I18N_OPEN   : '$"' -> pushMode(I18NQUOTE) ;
VAR         : VARIABLE ;
TEXT        : ~["'$\\]+ ;

mode DQUOTE;
DQ_DOLLAR    : '\\$' ;
DQ_BSLASH    : '\\\\' ;
DQ_QUOTE     : '\\"' ;
DQ_CONTINUED : '\\\n' -> skip ;
DQ_VAR       : VARIABLE ;
DQ_TEXT      : ~["$\\]+ ;
DQ_OTHER     : '\\' ;
DQ_CLOSE     : '"' -> popMode ;

mode SQUOTE;
SQ_TEXT      : ~'\''+ ;
SQ_CLOSE     : '\'' -> popMode ;

mode I18NQUOTE;
I18N_BSLASH    : '\\\\' ;
I18N_QUOTE     : '\\"' ;
I18N_CONTINUED : '\\\n' -> skip ;
I18N_TEXT      : ~["\\]+ ;
I18N_OTHER     : '\\' ;
I18N_CLOSE     : '"' -> popMode ;

fragment NAME_F   : [a-zA-Z_] [a-zA-Z0-9_]* ;
fragment VARIABLE : '$' ( NAME_F | [0-9]+ | [?#*@] ) | '${' ( NAME_F | [0-9]+ | [?#*@] ) '}' ;
