/*
 * The GRUB 2 script language, syntax. Follows grub-core/script/parser.y rule for rule:
 *   script: statements, each followed by exactly one delimiter (';' or newline) and any newlines;
 *   grubcmd: word arguments0 block0 (a { ... } block only as the last argument);
 *   keywords are plain arguments anywhere after the command word;
 *   function definitions only at the top level; every body needs at least one command;
 *   &&, ||, ;;, |, &, <, >, [[, ]], case, esac and select are tokens that no rule accepts.
 *
 * GRUB parses a file one top-level "chunk" at a time: the statements that end on one line (a construct that spans lines
 * makes its chunk span them too). `chunk` is that unit; the driver calls it repeatedly, which also gives GRUB's
 * recovery after a syntax error (the rest of the offending line is dropped and parsing resumes on the next line).
 */
parser grammar GrubParser;

options { tokenVocab = GrubLexer; }

chunk        : NEWLINE* ( statement ( SEMI statement )* SEMI? )? ( NEWLINE | EOF ) ;

statement    : command | functionDef ;

command      : simpleCommand | ifCommand | forCommand | whileCommand ;

// The command word (NAME | WORD), then its arguments (NAME | WORD or a keyword: the `argument' set, written out here
// because a rule costs a context per word, and a config is mostly words).
simpleCommand: ( NAME | WORD )
               ( NAME | WORD
               | CASE | DO | DONE | ELIF | ELSE | ESAC | FI | FOR | IF | IN | SELECT | THEN | UNTIL | WHILE | FUNCTION )*
               block? ;

argument     : NAME | WORD
             | CASE | DO | DONE | ELIF | ELSE | ESAC | FI | FOR | IF | IN | SELECT | THEN | UNTIL | WHILE | FUNCTION ;

block        : LBR commandList delimiters? RBR ;

commandList  : NEWLINE* command ( delimiters command )* ;

delimiters   : ( SEMI | NEWLINE ) NEWLINE* ;

functionDef  : FUNCTION NAME NEWLINE* LBR commandList delimiters RBR ;

ifCommand    : IF commandList delimiters THEN commandList delimiters
               ( ELIF commandList delimiters THEN commandList delimiters )*
               ( ELSE commandList delimiters )?
               FI ;

forCommand   : FOR NAME IN argument* delimiters DO commandList delimiters DONE ;

whileCommand : ( WHILE | UNTIL ) commandList delimiters DO commandList delimiters DONE ;
