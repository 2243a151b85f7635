/** The immutable syntax tree of a GRUB script: sealed statement and command types, words and their parts. */
package jgrub.config.ast;
