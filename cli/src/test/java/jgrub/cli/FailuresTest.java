package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void missingFile_isNamed() {
        assertEquals("disk.img: no such file", Failures.describe(new NoSuchFileException("disk.img")));
    }

    @Test
    void checkedFailure_isItsMessageOnOneLine() {
        assertEquals("FAT boot sector: corrupt", Failures.describe(new IOException("FAT boot sector:\ncorrupt")));
    }

    @Test
    void uncheckedFailure_isMarkedInternal() {
        assertEquals("internal error: IllegalStateException: boom",
                Failures.describe(new IllegalStateException("boom")));
    }
}
