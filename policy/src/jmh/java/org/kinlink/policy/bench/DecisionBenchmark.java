package org.kinlink.policy.bench;

import java.util.concurrent.TimeUnit;
import org.kinlink.policy.Decision;
import org.kinlink.policy.DecisionRequest;
import org.kinlink.policy.PolicyEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Whole decisions: a typical message (screened) and a four-party call. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {
    private final PolicyEngine engine = new PolicyEngine();
    private final DecisionRequest message = BenchData.message(BenchData.MESSAGE_200);
    private final DecisionRequest call = BenchData.fourPartyCall();

    /** A 200-byte message on a carer contact with limits and ten sensitive / five blocked terms. */
    @Benchmark
    public Decision messageDecision() {
        return engine.decide(message);
    }

    /** Mother + supervised child + carer + school, windows, limits, never_with. */
    @Benchmark
    public Decision fourPartyCallDecision() {
        return engine.decide(call);
    }
}
