package jgrub.config.grammar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse throughput in process: one parse of a grub-mkconfig config (its path in {@code jgrub.bench.config}, which
 * scripts/bench-check sets) per operation. Lines per second = operations per second x the config's lines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {

    String text;

    @Setup
    public void load() throws IOException {
        String path = System.getProperty("jgrub.bench.config");
        if (path == null) {
            throw new IllegalStateException("set -Djgrub.bench.config=FILE (scripts/bench-check does)");
        }
        text = Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public ParseResult parse() {
        return ScriptParser.parse("grub.cfg", text);
    }
}
