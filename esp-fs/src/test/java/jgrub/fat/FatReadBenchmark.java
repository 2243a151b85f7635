package jgrub.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jgrub.fs.Disk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * In-process read throughput of a big file on a FAT image from the page cache: positional reads into a 1 MiB
 * direct buffer, the way a loader copies a kernel into guest memory. Run by {@code BENCH_FAT_JMH=1 scripts/bench-fat},
 * which makes the image; one operation reads the whole file, so bytes per second = file size / time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FatReadBenchmark {

    /** An image whose ESP (or whole disk) holds {@link #file}. */
    @Param("")
    public String image;

    @Param("/BIG.BIN")
    public String file;

    private Disk disk;
    private FatFile fatFile;
    private ByteBuffer buffer;

    @Setup(Level.Trial)
    public void open() throws IOException {
        disk = Disk.open(Path.of(image));
        fatFile = (FatFile) disk.fileSystem(disk.partition(null)).open(file);
        buffer = ByteBuffer.allocateDirect(1 << 20);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        disk.close();
    }

    /** Reads the whole file through positional reads. */
    @Benchmark
    public long readWholeFile(Blackhole hole) throws IOException {
        long position = 0;
        int n;
        while ((n = fatFile.read(buffer.clear(), position)) > 0) {
            position += n;
        }
        hole.consume(buffer);
        return position;
    }

    /** Opens the file system and the file and walks its cluster chain (what every command pays once). */
    @Benchmark
    public FatFile openFileSystemAndFile() throws IOException {
        return FatFileSystem.open(disk.device(disk.partition(null))).open(file);
    }
}
