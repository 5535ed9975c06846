package gpupoor.validate;

import gpupoor.calc.Bound;
import gpupoor.calc.Estimate;
import gpupoor.calc.MemoryBreakdown;
import gpupoor.calc.Method;
import gpupoor.calc.Scenario;
import gpupoor.calc.Speed;
import gpupoor.calc.TrainingTime;

import java.util.ArrayList;
import java.util.List;

/**
 * A method with known answers, so the harness's arithmetic can be checked by hand: inference
 * memory 1000 MiB (weights 400), training memory 1000 + 10 MiB per sequence token; 50 tokens/s,
 * a 0.5 s prefill (with a device); 200 ms per training iteration (with a device).
 */
public final class FixedMethod implements Method {
    /** Every scenario estimated, in order. */
    public final List<Scenario> seen = new ArrayList<>();

    /** A method with the answers above. */
    public FixedMethod() {
    }

    @Override
    public String id() {
        return "fixed";
    }

    @Override
    public Estimate estimate(Scenario s) {
        seen.add(s);
        boolean training = s.workload().isTraining();
        double total = training ? 1000 + 10.0 * s.workload().promptTokens() : 1000;
        MemoryBreakdown memory = new MemoryBreakdown(total, 0, 400, 0, 0, 0);
        Speed speed = s.device() == null || training ? null : new Speed(50, 20, 0.5, Bound.MEMORY);
        TrainingTime time = s.device() != null && training ? new TrainingTime(200, Bound.COMPUTE) : null;
        return new Estimate(id(), memory, speed, time, null, List.of(), List.of());
    }
}
