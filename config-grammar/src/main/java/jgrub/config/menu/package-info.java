/** The menu a config builds: entries and submenus with GRUB's index paths, and GRUB's reading of selectors. */
package jgrub.config.menu;
