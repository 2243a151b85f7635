package jgrub.efi;

/** Where EFI text output goes and where text input comes from: jgrub's console, beside the guest's UART. */
public interface EfiConsole {

    void print(String text);

    /** A key typed by the user, or -1 when none is waiting. */
    default int readKey() {
        return -1;
    }
}
