package jgrub.cli.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleKeysTest {

    private static String through(String typed) throws IOException {
        return new String(new ConsoleKeys(new ByteArrayInputStream(typed.getBytes())).readAllBytes());
    }

    @ParameterizedTest
    @CsvSource({
        "'ls\r', 'ls\r', plain keys pass",
        "'ab\u0001xcd', 'ab', Ctrl-a x ends the input",
        "'a\u0001Xb', 'a', Ctrl-a X too",
        "'\u0001\u0001\u0001\u0001\u0001\u0001h', '\u0001\u0001\u0001h', Ctrl-a Ctrl-a is one Ctrl-a",
        "'a\u0001zb', 'ab', Ctrl-a and another key are dropped",
        "'\u0003\u0004', '\u0003\u0004', Ctrl-c and Ctrl-d go to the guest",
        "'abc\u0001', 'abc', a Ctrl-a at the end of input is dropped",
    })
    void escapes(String typed, String guest, String why) throws IOException {
        assertArrayEquals(guest.getBytes(), through(typed).getBytes(), why);
    }
}
