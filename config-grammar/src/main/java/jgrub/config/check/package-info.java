/** The validator behind {@code jgrub check}: every problem of a config as {@link jgrub.config.check.Diagnostic}s. */
package jgrub.config.check;
