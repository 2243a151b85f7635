package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        Path file = dir.resolve("grub.cfg");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void goodConfig_exitsZero() throws IOException {
        Path cfg = config("menuentry 'L' --id l { linux /vmlinuz ro; initrd /initrd.img; }\n");
        MainTest.Run run = MainTest.Run.of("check", cfg.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("0 error(s)"), run.out());
    }

    @Test
    void errors_exitOne_withFileLineColumnAndEntry() throws IOException {
        Path cfg = config("menuentry 'L' {\n  module2 /initrd\n}\n");
        MainTest.Run run = MainTest.Run.of("check", cfg.toString());
        assertEquals(1, run.code());
        assertTrue(run.out().contains("error: " + cfg + ":2:3: [0 \"L\"] `module2' needs `multiboot2' first"),
                run.out());
    }

    @Test
    void json_printsTheSameAsJson() throws IOException {
        Path cfg = config("echo a && b\n");
        MainTest.Run run = MainTest.Run.of("check", "--json", cfg.toString());
        assertEquals(1, run.code());
        assertTrue(run.out().contains("\"code\":\"syntax\",\"message\":\"`&&' is not part"), run.out());
        Map<?, ?> report = (Map<?, ?>) jgrub.json.Json.parse(run.out().strip());
        assertEquals(List.of("diagnostics", "errors", "warnings", "diskChecked"), List.copyOf(report.keySet()));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) report.get("diagnostics")).get(0);
        assertEquals(List.of("severity", "file", "line", "column", "entry", "code", "message"),
                List.copyOf(first.keySet()));
        assertEquals(1L, first.get("line"));
        assertEquals(((List<?>) report.get("diagnostics")).stream()
                .filter(d -> "error".equals(((Map<?, ?>) d).get("severity"))).count(), report.get("errors"));
    }

    @Test
    void noConfig_isAUsageError() {
        assertEquals(2, MainTest.Run.of("check").code());
        assertEquals(2, MainTest.Run.of("check", "--platform", "arm", "x.cfg").code());
    }

    @Test
    void menu_showsTreeDefaultAndTimeout() throws IOException {
        Path cfg = config("set timeout=3\nset default=\"1>0\"\nmenuentry A { linux /a; }\n"
                + "submenu S --id s { menuentry B --class os { linux /b; } }\n");
        MainTest.Run run = MainTest.Run.of("menu", cfg.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("timeout: 3 s"), run.out());
        assertTrue(run.out().contains("*    1>0    \"B\"  class=os"), run.out());
    }
}
