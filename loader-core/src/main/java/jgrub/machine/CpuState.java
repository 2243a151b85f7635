package jgrub.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A one-line summary of QEMU's {@code info registers}, for messages about a guest that stopped or hung. */
final class CpuState {

    private static final Pattern IP = Pattern.compile("\\b([RE]IP)=([0-9a-fA-F]+)");
    private static final Pattern HALTED = Pattern.compile("\\bHLT=1\\b");
    private static final Pattern CR0 = Pattern.compile("\\bCR0=([0-9a-fA-F]+)");

    private CpuState() {
    }

    /** ", CPU at EIP=0x00100000 (CR0=0x00000011, halted)", or "" when the text has no instruction pointer. */
    static String summary(String infoRegisters) {
        Matcher ip = IP.matcher(infoRegisters);
        if (!ip.find()) {
            return "";
        }
        List<String> notes = new ArrayList<>();
        Matcher cr0 = CR0.matcher(infoRegisters);
        if (cr0.find()) {
            notes.add("CR0=0x" + cr0.group(1));
        }
        if (HALTED.matcher(infoRegisters).find()) {
            notes.add("halted");
        }
        return ", CPU at " + ip.group(1) + "=0x" + ip.group(2) + (notes.isEmpty() ? "" : " (" + String.join(", ",
                notes) + ")");
    }
}
