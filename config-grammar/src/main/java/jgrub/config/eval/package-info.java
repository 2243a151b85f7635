/**
 * Runs GRUB scripts as GRUB 2.06's normal mode does. {@link jgrub.config.eval.ConfigEvaluator} evaluates a config
 * into an {@link jgrub.config.eval.Evaluation}, whose {@code run} methods run menu entries; the disk is seen through
 * {@link jgrub.config.eval.DiskView} and boot commands go to {@link jgrub.config.eval.BootCommands}.
 */
package jgrub.config.eval;
