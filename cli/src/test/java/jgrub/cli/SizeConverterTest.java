package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The one size syntax of {@code --memory} and {@code --size}. */
class SizeConverterTest {

    @ParameterizedTest
    @CsvSource({"2048, 2147483648", "512M, 536870912", "512mib, 536870912", "2G, 2147483648", "2 GiB, 2147483648",
        "64K, 65536", "1T, 1099511627776", "4096B, 4096", "0, 0", "8388607T, 9223370937343148032"})
    void sizes_areBytes(String text, long bytes) {
        assertEquals(bytes, SizeConverter.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.5G", "-1", "G", "2X", "2GB B", "8388608T", "99999999999999999999"})
    void notSizes_areRefusedNamingTheText(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> SizeConverter.parse(text));
        assertEquals(true, e.getMessage().contains("'" + text + "'"), e.getMessage());
    }
}
