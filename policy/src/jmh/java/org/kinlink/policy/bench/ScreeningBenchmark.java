package org.kinlink.policy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kinlink.policy.screening.ContentMatch;
import org.kinlink.policy.screening.LocationScanner;
import org.kinlink.policy.screening.TermScreen;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Content screening alone: location scan + term screen (10 sensitive, 5 blocked terms). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScreeningBenchmark {
    private final LocationScanner scanner = new LocationScanner();
    private final TermScreen terms = BenchData.TERMS.screen();

    private List<ContentMatch> screen(String text) {
        List<ContentMatch> out = new ArrayList<>();
        scanner.scan(text, out);
        terms.scan(text, out);
        return out;
    }

    /** A 200-byte message. */
    @Benchmark
    public List<ContentMatch> screen200Bytes() {
        return screen(BenchData.MESSAGE_200);
    }

    /** A 4 KB letter with a postcode and a phone number at the end. */
    @Benchmark
    public List<ContentMatch> screen4Kilobytes() {
        return screen(BenchData.MESSAGE_4K);
    }
}
