package jgrub.multiboot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoaderIdentityTest {

    /** Words as GRUB's parser hands them to the command, '|' separating them, and the command line GRUB makes. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "``; ``",
        "placeholder|console=com1; placeholder console=com1",
        "a b|c; \"a b\" c",
        "say \"hi\"; \"say \\\"hi\\\"\"",
        "it's; it\\'s",
        "back\\slash; back\\\\slash",
        "\\x41\\x4; \\x41\\\\x4",
    })
    void commandLine_isFormedAsGrubCreateLoaderCmdline(String words, String expected) {
        List<String> list = words.isEmpty() ? List.of() : List.of(words.split("\\|"));
        byte[] line = LoaderIdentity.commandLine(list);
        assertEquals(0, line[line.length - 1]);
        assertEquals(expected, new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
    }
}
