package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Menus and entry runs against real GRUB: each config is grub-emu's grub.cfg with {@code timeout=0}, so GRUB boots its
 * default entry at once; jgrub evaluates it and runs its default entry. The lines they print that start with '@'
 * (from the top level, submenu bodies and the entry) must be equal.
 */
class GrubEmuMenuConformanceTest {

    static final List<String[]> CONFIGS = List.of(
        new String[] {"submenu path by id, positional parameters, exported variables, root hook", """
            set timeout=0
            set default="sub>e2"
            x=top
            export x
            y=notexported
            menuentry 'first' { echo @FIRST; halt }
            submenu 'Sub' --id sub extra1 {
              echo "@in submenu: default=[$default] chosen=[$chosen] 1=[$1] 2=[$2] #=[$#] x=[$x] y=[$y]"
              menuentry 'e1' { echo @E1; halt }
              menuentry 'Entry two' --id e2 --class c a b {
                echo "@chosen=[$chosen] default=[$default] 1=[$1] 2=[$2] 3=[$3] #=[$#] x=[$x] y=[$y]"
                set root=(hd0,gpt9)
                echo "@root=[$root]"
                halt
              }
            }
            """},
        new String[] {"default by title, numeric paths, >> escapes", """
            set timeout=0
            set default="A>>B>1"
            menuentry 'zero' { echo @zero; halt }
            submenu 'A>B' {
              menuentry 'inner 0' { echo @inner0 "$chosen"; halt }
              menuentry 'inner 1' { echo @inner1 "$chosen"; halt }
            }
            """},
        new String[] {"default names nothing: entry 0; functions and setparams in entries", """
            set timeout=0
            set default="no such entry"
            function show { echo "@show $# $*"; }
            menuentry 'only' x y {
              show "$@"
              setparams p q r
              show "$@"
              shift
              show $*
              halt
            }
            """},
        new String[] {"--source body, gettext strings, unset saved_entry as default", """
            set timeout=0
            set default="${saved_entry}"
            menuentry 'from source' --source 'echo "@source 1=[$1] 2=[$2]"; echo $"@gettext $1"; halt' extra
            """},
        new String[] {"loops, break and return inside an entry", """
            set timeout=0
            function f { for i in 1 2 3; do if [ $i = 2 ]; then return 7; fi; echo "@f $i"; done; }
            menuentry 'loops' {
              f; echo "@ret $?"
              for a in x y; do for b in 1 2 3; do if [ $b = 2 ]; then continue 2; fi; echo "@$a$b"; done; done
              n=; while [ "$n" != 111 ]; do n="1$n"; echo "@n=$n"; done
              halt
            }
            """});

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> defaultEntry_runsAsInGrubEmu() {
        Path grubEmu = Prerequisites.program("grub-emu");
        return CONFIGS.stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            String expected = marked(grubEmu(grubEmu, c[1]));
            Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", c[1], EvalOptions.defaults());
            String actual = marked(evaluation.output() + evaluation.runDefault(new RecordingBootCommands()).output());
            assertFalse(expected.isEmpty(), "grub-emu printed no marked line");
            assertEquals(expected, actual);
        }));
    }

    static String marked(String output) {
        StringBuilder out = new StringBuilder();
        for (String line : output.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "").split("\n")) {
            int at = line.indexOf('@');
            if (at >= 0) {
                out.append(line.substring(at).stripTrailing()).append('\n');
            }
        }
        return out.toString();
    }

    String grubEmu(Path grubEmu, String config) throws IOException, InterruptedException {
        return GrubEmu.run(grubEmu, temp, java.util.Map.of("grub.cfg", config));
    }
}
