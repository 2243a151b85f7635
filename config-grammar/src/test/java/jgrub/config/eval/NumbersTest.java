package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import jgrub.config.menu.MenuEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every place a number in a config is read: out-of-range and malformed numbers give what GRUB gives, never an
 * exception. Each expected output is what Debian's grub-emu 2.06 (x86_64, 64-bit unsigned long) printed for the same
 * script; {@link GrubEmuConformanceTest} runs them through grub-emu again.
 */
class NumbersTest {

    /** Script, then exactly what GRUB prints for it. */
    static final List<String[]> CASES = List.of(
        // regexp --set=N:VAR (commands/regexp.c, set_matches)
        new String[] {"v=old\nregexp --set=99999999999:v a a\necho \"$? [$v]\"\n", "0 []\n"},
        new String[] {"v=old\nregexp --set=99999999999999999999999:v a a\necho \"$? [$v]\"\n",
            "error: invalid variable name format 99999999999999999999999:v.\n18 [old]\n"},
        new String[] {"v=old\nregexp --set=abc:v a a\necho \"$? [$v]\"\n",
            "error: invalid variable name format abc:v.\n18 [old]\n"},
        new String[] {"v=old\nregexp --set=:v --set=1:w '(a)(b)?' a\necho \"$? [$v] [$w]\"\n",
            "error: unrecognized number.\n0 [a] [a]\n"},
        new String[] {"v=old\nregexp --set=' 1:v' --set=2:w '(a)(b)?' a\necho \"$? [$v] [$w]\"\n", "0 [a] []\n"},
        new String[] {"v=old\nregexp --set=1:v --set=1x:w --set=2:v '(a)' a\necho \"$? [$v]\"\n",
            "error: invalid variable name format 1x:w.\n18 [a]\n"},
        // break and continue (script/execute.c, grub_script_break)
        new String[] {"for i in 1 2; do echo $i; break 99999999999999999999999; done\necho $?\n",
            "1\nerror: overflow is detected.\n2\nerror: overflow is detected.\n11\n"},
        new String[] {"for i in 1 2; do echo $i; continue 99999999999; done\necho $?\n", "1\n2\n0\n"},
        new String[] {"for i in 1 2; do echo $i; break x; done\necho $?\n",
            "1\nerror: unrecognized number.\n2\nerror: unrecognized number.\n10\n"},
        new String[] {"for i in 1 2; do echo $i; break 1x; done\necho $?\n",
            "1\nerror: unrecognized number.\n2\nerror: unrecognized number.\n18\n"},
        // return (grub_script_return): cut to an int; a number that does not read leaves the function running
        new String[] {"function f { return 99999999999; }\nf\necho $?\n", "error: false.\n1215752191\n"},
        new String[] {"function f { return 4294967296; }\nf\necho $?\n", "0\n"},
        new String[] {"function f { return 4294967295; }\nf\necho $?\n", "error: false.\n-1\n"},
        new String[] {"function f { return 99999999999999999999999; echo on; }\nf\necho $?\n",
            "error: overflow is detected.\non\n0\n"},
        // shift (grub_script_shift)
        new String[] {"function f { shift 99999999999999999999999; echo \"$? $#\"; shift 99999999999; echo \"$? $#\";"
            + " shift x; echo \"$? $#\"; shift ' 1'; echo \"$? $#\"; }\nf a b c\n",
            "error: overflow is detected.\n18 3\n18 3\nerror: unrecognized number.\n18 3\n0 2\n"},
        // test's numbers (commands/test.c): ints, errors printed when the test is true
        new String[] {"[ 4294967296 -eq 0 ]\necho $?\n[ 2147483648 -lt 0 ]\necho $?\n", "0\n0\n"},
        new String[] {"[ 18446744073709551615 -gt 4294967295 ]\necho $?\n[ -99999999999999999999999 -lt 0 ]\n"
            + "echo $?\n", "1\n1\n"},
        new String[] {"[ 99999999999999999999999 -eq 99999999999999999999998 ]\necho $?\n",
            "error: overflow is detected.\n0\n"},
        new String[] {"[ x -eq 0 ]\necho $?\n[ 0x10 -eq 16 ]\necho $?\n", "error: unrecognized number.\n0\n0\n"},
        new String[] {"[ a99999999999999999999999 -pgt a2 ]\necho $?\n", "error: overflow is detected.\n0\n"});

    @Test
    void eachNumberSite_printsWhatGrubPrints() {
        for (String[] c : CASES) {
            assertEquals(c[1], GrubEmuConformanceTest.jgrub(c[0]), c[0]);
        }
    }

    private static final String MENU = "set timeout=99999999999\nset default='1>0>99999999999'\n"
            + "menuentry a { true; }\nsubmenu s { menuentry b { true; }\nmenuentry c { true; } }\n";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '~', value = {
        "1>0>99999999999 ~ 1>0", "1>99999999999 ~ 1>0", "99999999999 ~ 0",
        "1>1 ~ 1>1", "0x1>1 ~ 1>1", "99999999999999999999999>1 ~ 0",
    })
    void selectorWithAHugeNumber_fallsBackToEntryZero(String selector, String path) {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", MENU, EvalOptions.defaults());
        Optional<MenuEntry> entry = evaluation.run(selector, new RecordingBootCommands()).entry();
        assertEquals(path, entry.orElseThrow().path());
    }

    @Test
    void hugeTimeoutAndDefault_makeAMenu() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", MENU, EvalOptions.defaults());
        assertEquals(Optional.of(Integer.MAX_VALUE), evaluation.menu().timeout());
        assertEquals(Optional.of("1>0"), evaluation.menu().defaultPath());
    }
}
