/** Building test ESPs from host files: {@link jgrub.fat.write.EspBuilder}, behind {@code jgrub mkesp}. */
package jgrub.fat.write;
