package jgrub.machine;

/** The machine cannot run: QEMU is missing or fails to start, or it or the firmware misbehaves. One line for the user. */
public class MachineException extends Exception {

    public MachineException(String message) {
        super(message);
    }

    public MachineException(String message, Throwable cause) {
        super(message, cause);
    }
}
