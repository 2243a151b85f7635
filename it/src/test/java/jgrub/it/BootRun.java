package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import jgrub.cli.Main;

/** One {@code jgrub boot} run in this JVM: exit code, the guest console (LF line ends) and jgrub's stderr. */
record BootRun(int code, String console, String err) {

    static BootRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new BootRun(code, out.toString().replace("\r\n", "\n"), err.toString());
    }

    /** stderr and the end of the console, for assertion messages. */
    String tail() {
        return "\n--- stderr:\n" + err + "\n--- console tail:\n"
                + console.substring(Math.max(0, console.length() - 3000));
    }

    /** The run succeeded because {@code --until} matched and the console shows {@code marker}. */
    void assertReached(String marker) {
        assertEquals(0, code, tail());
        assertTrue(err.contains("jgrub: matched '"), tail());
        assertTrue(console.contains(marker), tail());
    }
}
