package gpupoor.calc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The inversions of a {@link Method}: the longest context, the largest batch, the longest
 * fine-tuning sequence, the highest-quality quantization and the fewest devices with which a
 * scenario still fits in memory. Each is an exact search over {@link Method#estimate}: the
 * answer {@code n} is verified to fit and {@code n + 1} (for the fewest devices, {@code n - 1})
 * is verified not to, and both estimates are returned so a caller can show why.
 *
 * <p>A scenario fits when the runtime would load and run it: the method's
 * {@link Estimate#budget()} says so ({@link Budget#fits()}: vLLM's memory utilization, Apple's
 * wired-memory limit, the memory the driver keeps). When the method gives no such verdict (the
 * gpu-poor method), it fits when the method says it needs no more devices than it has
 * ({@link Estimate#gpusNeeded()}); when the method does not say that either, when its total
 * memory is at most the devices' memory. A memory size given with {@link #withDeviceMemoryMiB}
 * is judged by the total alone (the budget was made for the catalog's memory). Searches grow the value by doubling, then bisect between the last value that fits and
 * the first that does not; they stop at a ceiling ({@link #MAX_TOKENS}, {@link #MAX_BATCH},
 * {@link #MAX_DEVICES}) and say so. Immutable and thread-safe.
 */
public final class Fit {

    /** The largest context or sequence length a search tries: 16,777,216 tokens. */
    public static final int MAX_TOKENS = 1 << 24;

    /** The largest batch a search tries: 1,048,576 sequences (the largest batch accepted, {@link Limits#MAX_BATCH}). */
    public static final int MAX_BATCH = Limits.MAX_BATCH;

    /** The most devices a search tries: 4,096. */
    public static final int MAX_DEVICES = 1 << 12;

    private final Method method;
    private final double deviceMemoryMiB;

    private Fit(Method method, double deviceMemoryMiB) {
        this.method = method;
        this.deviceMemoryMiB = deviceMemoryMiB;
    }

    /** Searches with {@code method}, taking each device's memory from the catalog. */
    public static Fit of(Method method) {
        if (method == null) {
            throw new InvalidScenarioException("a fit needs a calculation method: default or gpu-poor");
        }
        return new Fit(method, Double.NaN);
    }

    /**
     * A copy that gives each device {@code mib} of memory instead of the catalog's figure (a CPU's
     * RAM, which the catalog does not know, or a what-if), and judges by total memory alone.
     *
     * @throws InvalidScenarioException unless {@code mib} is a positive finite number
     */
    public Fit withDeviceMemoryMiB(double mib) {
        if (!(mib > 0) || Double.isInfinite(mib)) {
            throw new InvalidScenarioException("device memory must be a positive number, got " + mib);
        }
        return new Fit(method, mib);
    }

    /** The method the searches run. */
    public Method method() {
        return method;
    }

    /**
     * The memory of all of the scenario's devices in MiB, or NaN when it is not known (no device,
     * or a CPU whose RAM was not given).
     */
    public double capacityMiB(Scenario s) {
        if (!Double.isNaN(deviceMemoryMiB)) {
            return deviceMemoryMiB * s.deviceCount();
        }
        Hardware d = s.device();
        if (d == null || !(d.memoryGiB() > 0)) {
            return Double.NaN;
        }
        return d.memoryGiB() * 1024 * s.deviceCount();
    }

    /**
     * Estimates a scenario and judges whether it fits.
     *
     * @throws InvalidScenarioException when the method rejects the scenario or gives no memory for it
     */
    public Check check(Scenario s) {
        return check(s, method.estimate(s));
    }

    /**
     * Judges an estimate already made of {@code s}; {@link Check#fits()} is null when the capacity
     * is unknown.
     *
     * @throws InvalidScenarioException when the estimate has no memory breakdown
     */
    public Check check(Scenario s, Estimate e) {
        if (e.memory() == null) {
            throw new InvalidScenarioException("the " + method.id() + " method gives no memory estimate for this scenario"
                    + (e.notes().isEmpty() ? "" : ": " + String.join("; ", e.notes())));
        }
        boolean catalogMemory = Double.isNaN(deviceMemoryMiB);
        Budget b = e.budget();
        if (catalogMemory && b != null && b.fits() != null) {
            return new Check(s, e, b.usableMiB() * s.deviceCount(), b.fits(), true);
        }
        double capacity = capacityMiB(s);
        Boolean fits;
        if (catalogMemory && e.gpusNeeded() != null) {
            fits = e.gpusNeeded() <= s.deviceCount();
        } else if (!Double.isNaN(capacity)) {
            fits = e.memory().totalMiB() <= capacity;
        } else {
            fits = null;
        }
        return new Check(s, e, capacity, fits, false);
    }

    // ------------------------------------------------------------------ the searches

    /**
     * The longest context (prompt + generated tokens, split as {@link #withContext} does) that
     * fits, from 2 tokens (1 without generation) up to {@link #MAX_TOKENS}.
     *
     * @throws InvalidScenarioException for a training scenario (use {@link #maxSequence}), when
     *                                  the method rejects the scenario, or the capacity is unknown
     */
    public Result<Integer> maxContext(Scenario s) {
        if (s.workload().isTraining()) {
            throw new InvalidScenarioException("max context is for inference; for fine-tuning ask for the longest "
                    + "sequence (max sequence)");
        }
        int lo = s.workload().generateTokens() > 0 ? 2 : 1;
        Result<Integer> r = largest("max context", lo, MAX_TOKENS, c -> withContext(s, c));
        return withTrainedContextNote(r, s.model());
    }

    /**
     * The longest fine-tuning sequence (prompt tokens of a training scenario; the generated
     * tokens stay as given) that fits, from 1 up to {@link #MAX_TOKENS}.
     *
     * @throws InvalidScenarioException for an inference scenario (use {@link #maxContext}), when
     *                                  the method rejects the scenario, or the capacity is unknown
     */
    public Result<Integer> maxSequence(Scenario s) {
        if (!s.workload().isTraining()) {
            throw new InvalidScenarioException("max sequence is for fine-tuning; for inference ask for the longest "
                    + "context (max context)");
        }
        Result<Integer> r = largest("max sequence", 1, MAX_TOKENS, s::withPrompt);
        return withTrainedContextNote(r, s.model());
    }

    /**
     * The largest batch that fits, from 1 up to {@link #MAX_BATCH}.
     *
     * @throws InvalidScenarioException when the method rejects the scenario or the capacity is unknown
     */
    public Result<Integer> maxBatch(Scenario s) {
        return largest("max batch", 1, MAX_BATCH, s::withBatch);
    }

    /**
     * The fewest devices of the scenario's GPU that hold it, from 1 up to {@link #MAX_DEVICES}.
     *
     * @throws InvalidScenarioException unless the device is a GPU, or when the method rejects the scenario
     */
    public Result<Integer> fewestDevices(Scenario s) {
        Hardware d = s.device();
        if (d == null || !d.isGpu()) {
            throw new InvalidScenarioException("the fewest devices are counted for GPUs"
                    + (d == null ? "; the scenario has no device" : "; " + d.id() + " is " + kind(d)));
        }
        List<Check> trials = new ArrayList<>();
        Map<Integer, Check> checked = new HashMap<>();
        IntPredicate fits = n -> checked.computeIfAbsent(n, k -> trial(s.withDeviceCount(k), trials)).fits();
        int largest = method.largestDeviceCount(s);
        int n = fewestFitting(fits, k -> method.acceptsDeviceCount(s, k), largest, 0, false, 0);
        if (n < 0) {
            Check last = checked.get(checked.keySet().stream().max(Integer::compare).orElseThrow());
            return new Result<>("fewest GPUs", null, null, last, trials, List.of(largest < MAX_DEVICES
                    ? String.format("does not fit even on %,d, the most devices that can share this model with this runtime", largest)
                    : String.format("does not fit even on the search's ceiling of %,d", MAX_DEVICES)));
        }
        Check beyond = checked.keySet().stream().filter(k -> k < n).max(Integer::compare).map(checked::get).orElse(null);
        return new Result<>("fewest GPUs", n, checked.get(n), beyond, trials, List.of());
    }

    /**
     * The search for the fewest devices, shared by {@link #fewestDevices} and the methods' own
     * "GPUs needed": the smallest count in [1, {@link #MAX_DEVICES}] that {@code accepted} takes and
     * {@code fits} holds for, {@code fits} being monotone over the accepted counts (false, then
     * true); -1 when none does. A gallop upwards (steps 1, 2, 4, … from its start: from 1 that is
     * 1, 2, 4, 8, …), then bisection. A count already known ({@code known} &gt; 0, with whether it
     * fits) bounds the search; a guess (&gt; 0, e.g. from the memory one device would need) starts the
     * gallop, and when it holds at once the count just below it is tried next, so a guess that is
     * right or one too low settles the answer in two trials. Any guess
     * gives the same answer: only the number of trials depends on it.
     *
     * @param fits      whether the scenario fits on that many devices
     * @param accepted  whether the runtime can run on that many devices
     * @param largest   the largest count {@code accepted} may take (at most {@link #MAX_DEVICES}; no count above it is tried)
     * @param known     a count already judged, or 0
     * @param knownFits whether it fits
     * @param guess     where the answer probably lies, or 0 for no guess
     */
    public static int fewestFitting(IntPredicate fits, IntPredicate accepted, int largest, int known, boolean knownFits,
                                    int guess) {
        int top = Math.min(largest, MAX_DEVICES);
        int bad = 0;
        int good = -1;
        if (known > 0 && known <= top && accepted.test(known)) {
            if (knownFits) {
                good = known;
            } else {
                bad = known;
            }
        }
        if (good < 0) {
            // gallop from the guess (or from the first count above what is known not to fit)
            int start = Math.max(bad + 1, Math.min(guess, top));
            int n = next(accepted, start, top);
            long step = 1;
            boolean first = true;
            while (true) {
                if (n < 0) {
                    n = last(accepted, bad + 1, top);  // the gallop overshot every accepted count: try the largest
                    if (n < 0) {
                        return -1;
                    }
                }
                if (fits.test(n)) {
                    good = n;
                    break;
                }
                bad = n;
                first = false;
                n = next(accepted, (int) Math.max(bad + 1, Math.min(start + 2 * step - 1, top)), top);
                step *= 2;
            }
            if (first && guess > 0) {
                // the guess held at once: the count just below it most likely does not, which settles it
                int below = last(accepted, bad + 1, good - 1);
                if (below > 0) {
                    if (fits.test(below)) {
                        good = below;
                    } else {
                        bad = below;
                    }
                }
            }
        }
        // the answer lies in (bad, good]: bisect over the accepted counts
        while (true) {
            int lo = next(accepted, bad + 1, top);
            if (lo == good) {
                return good;
            }
            int mid = next(accepted, bad + 1 + (good - bad - 1) / 2, top);
            if (mid == good) {
                mid = lo;
            }
            if (fits.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
    }

    /** The largest accepted count from {@code from} up to {@code top}, or -1. */
    private static int last(IntPredicate accepted, int from, int top) {
        for (int n = top; n >= Math.max(1, from); n--) {
            if (accepted.test(n)) {
                return n;
            }
        }
        return -1;
    }

    /** The smallest accepted count from {@code from} up to {@code top}, or -1. */
    private static int next(IntPredicate accepted, int from, int top) {
        for (int n = Math.max(1, from); n <= top; n++) {
            if (accepted.test(n)) {
                return n;
            }
        }
        return -1;
    }

    /**
     * The highest-quality quantization that fits, among every quantization but fp32 (16-bit
     * weights are the reference quality) that the method accepts for the scenario's framework,
     * tried in {@link #byQuality} order.
     *
     * @throws InvalidScenarioException when the method accepts none, or the capacity is unknown
     */
    public Result<Quant> bestQuant(Scenario s) {
        List<Quant> all = new ArrayList<>(List.of(Quant.values()));
        all.remove(Quant.FP32);
        return bestQuant(s, byQuality(all));
    }

    /**
     * The first of {@code candidates} (give them best first) that fits; candidates the method
     * rejects for this scenario are skipped and listed in the notes.
     *
     * @throws InvalidScenarioException when there are no candidates, the method accepts none of
     *                                  them, or the capacity is unknown
     */
    public Result<Quant> bestQuant(Scenario s, List<Quant> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new InvalidScenarioException("best quantization needs at least one candidate quantization");
        }
        List<Check> trials = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        String firstRejection = null;
        Check tooBig = null;
        for (Quant q : candidates) {
            Check c;
            try {
                Scenario sq = s.withQuant(q);
                method.check(sq);
                c = check(sq);
            } catch (InvalidScenarioException e) {
                rejected.add(q.id());
                firstRejection = firstRejection == null ? q.id() + ": " + e.getMessage() : firstRejection;
                continue;
            }
            trials.add(require(c));
            if (c.fits()) {
                return new Result<>("best quantization", q, c, tooBig, trials, rejectedNote(rejected, s));
            }
            tooBig = c;
        }
        if (trials.isEmpty()) {
            throw new InvalidScenarioException("the " + method.id() + " method accepts none of the candidate quantizations "
                    + "with " + s.framework().id() + " (" + firstRejection + ")");
        }
        return new Result<>("best quantization", null, null, tooBig, trials, rejectedNote(rejected, s));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A copy of {@code s} whose context (prompt + generated tokens) is {@code context}: the
     * generated tokens stay as given but at most half the context, the prompt takes the rest.
     *
     * @throws InvalidScenarioException unless {@code context} is positive
     */
    public static Scenario withContext(Scenario s, int context) {
        if (context < 1) {
            throw new InvalidScenarioException("context must be a positive number of tokens, got " + context);
        }
        int generate = Math.min(s.workload().generateTokens(), context / 2);
        return s.withWorkload(s.workload().withGenerate(generate).withPrompt(context - generate));
    }

    /**
     * Orders quantizations from the highest quality to the lowest: within a family by
     * {@link Quant#quality()}, across families by more bits per weight first (ties by quality). So
     * with transformers: none, fp8, bnb-int8, gptq-int8, bnb-nf4, gptq-int4, awq-int4; with
     * llama.cpp: the GGUF types from F16 down to Q2_K.
     */
    public static List<Quant> byQuality(Collection<Quant> quants) {
        Comparator<Quant> rank = Comparator.comparingInt(Quant::quality);
        Map<Quant.Family, Deque<Quant>> families = new EnumMap<>(Quant.Family.class);
        quants.stream().distinct().sorted(rank).forEach(q ->
                families.computeIfAbsent(q.family(), f -> new ArrayDeque<>()).add(q));
        Comparator<Quant> best = Comparator.comparingDouble(Quant::nominalBits).reversed().thenComparing(rank);
        List<Quant> out = new ArrayList<>();
        while (families.values().stream().anyMatch(d -> !d.isEmpty())) {
            Quant next = families.values().stream().filter(d -> !d.isEmpty()).map(Deque::peekFirst)
                    .min(best).orElseThrow();
            families.get(next.family()).pollFirst();
            out.add(next);
        }
        return out;
    }

    /** The largest n in [lo, ceiling] that fits, by doubling then bisection. */
    private Result<Integer> largest(String limit, int lo, int ceiling, IntFunction<Scenario> at) {
        List<Check> trials = new ArrayList<>();
        Check good = trial(at.apply(lo), trials);
        if (!good.fits()) {
            return new Result<>(limit, null, null, good, trials, List.of());
        }
        int goodN = lo;
        Check bad = null;
        int badN = 0;
        while (goodN < ceiling) {
            int next = (int) Math.min(2L * goodN, ceiling);
            Check c = trial(at.apply(next), trials);
            if (c.fits()) {
                goodN = next;
                good = c;
            } else {
                badN = next;
                bad = c;
                break;
            }
        }
        if (bad == null) {
            return new Result<>(limit, goodN, good, null, trials, List.of(String.format(
                    "fits at every value up to the search's ceiling of %,d", ceiling)));
        }
        return bisect(limit, goodN, good, badN, bad, at, trials);
    }

    /** The smallest n in [lo, ceiling] that fits, by doubling then bisection. */
    private Result<Integer> smallest(String limit, int lo, int ceiling, IntFunction<Scenario> at) {
        List<Check> trials = new ArrayList<>();
        Check bad = trial(at.apply(lo), trials);
        if (bad.fits()) {
            return new Result<>(limit, lo, bad, null, trials, List.of());
        }
        int badN = lo;
        Check good = null;
        int goodN = 0;
        while (badN < ceiling) {
            int next = (int) Math.min(2L * badN, ceiling);
            Check c = trial(at.apply(next), trials);
            if (c.fits()) {
                goodN = next;
                good = c;
                break;
            }
            badN = next;
            bad = c;
        }
        if (good == null) {
            return new Result<>(limit, null, null, bad, trials, List.of(String.format(
                    "does not fit even on the search's ceiling of %,d", ceiling)));
        }
        return bisect(limit, goodN, good, badN, bad, at, trials);
    }

    /**
     * Narrows a fitting value {@code goodN} and a failing one {@code badN} (either may be the larger)
     * until they are adjacent; the result is the fitting end, with the failing end as the step beyond.
     */
    private Result<Integer> bisect(String limit, int goodN, Check good, int badN, Check bad, IntFunction<Scenario> at,
                                   List<Check> trials) {
        while (Math.abs(badN - goodN) > 1) {
            int mid = Math.min(goodN, badN) + Math.abs(badN - goodN) / 2;
            Check c = trial(at.apply(mid), trials);
            if (c.fits()) {
                goodN = mid;
                good = c;
            } else {
                badN = mid;
                bad = c;
            }
        }
        return new Result<>(limit, goodN, good, bad, trials, List.of());
    }

    private Check trial(Scenario s, List<Check> trials) {
        Check c = require(check(s));
        trials.add(c);
        return c;
    }

    private static Check require(Check c) {
        if (c.fits() == null) {
            Hardware d = c.scenario().device();
            throw new InvalidScenarioException("cannot tell whether it fits: " + (d == null
                    ? "the scenario has no device; give a GPU or an Apple chip, or a memory size"
                    : d.id() + " is " + kind(d) + " whose memory size the catalog does not know; give a memory size"));
        }
        return c;
    }

    private static String kind(Hardware d) {
        return switch (d.kind()) {
            case GPU -> "a GPU";
            case APPLE -> "an Apple chip";
            case CPU -> "a CPU";
        };
    }

    private static List<String> rejectedNote(List<String> rejected, Scenario s) {
        if (rejected.isEmpty()) {
            return List.of();
        }
        String some = String.join(", ", rejected.subList(0, Math.min(3, rejected.size())))
                + (rejected.size() > 3 ? ", …" : "");
        return List.of(rejected.size() + (rejected.size() == 1 ? " quantization" : " quantizations")
                + " the method rejects with " + s.framework().id() + " not tried (" + some + ")");
    }

    private static Result<Integer> withTrainedContextNote(Result<Integer> r, ModelSpec model) {
        double trained = model.number(0, "max_position_embeddings", "n_positions", "max_sequence_length", "seq_length");
        if (r.value() == null || !(trained > 0) || r.value() <= trained) {
            return r;
        }
        List<String> notes = new ArrayList<>(r.notes());
        notes.add(String.format("the model was trained for %,d tokens (max_position_embeddings); longer contexts "
                + "need RoPE scaling", (long) trained));
        return new Result<>(r.limit(), r.value(), r.at(), r.beyond(), r.trials(), notes);
    }

    // ------------------------------------------------------------------ values

    /**
     * One scenario judged against its devices' memory.
     *
     * @param scenario     the scenario
     * @param estimate     the method's estimate of it (with a memory breakdown)
     * @param capacityMiB  memory of all its devices in MiB: what the runtime may use of it when
     *                     {@code runtimeLimit}, else all of it (NaN when unknown)
     * @param fits         whether it fits; null when that cannot be told
     * @param runtimeLimit whether the verdict is the runtime's memory rule (the estimate's
     *                     {@link Budget}: vLLM's utilization, the memory the driver keeps, Apple's
     *                     wired-memory limit) rather than the total against the devices' memory
     */
    public record Check(Scenario scenario, Estimate estimate, double capacityMiB, Boolean fits, boolean runtimeLimit) {
        /** The memory the scenario needs in MiB (its estimate's total). */
        public double neededMiB() {
            return estimate.memory().totalMiB();
        }
    }

    /**
     * The answer of a search.
     *
     * @param limit  what was searched, e.g. {@code max context}
     * @param value  the answer, or null when nothing in the search range fits
     * @param at     the check at the answer (null when nothing fits)
     * @param beyond the check one step past the answer, which does not fit (the next value, one
     *               device fewer, the quantization of next higher quality); null when there is no
     *               such step (the search's ceiling, one device, the best candidate)
     * @param trials every check the search made, in order
     * @param notes  remarks on the answer (ceiling reached, candidates skipped, trained context)
     * @param <T>    Integer for counts, {@link Quant} for quantizations
     */
    public record Result<T>(String limit, T value, Check at, Check beyond, List<Check> trials, List<String> notes) {
        /** Makes the lists unmodifiable. */
        public Result {
            trials = List.copyOf(trials);
            notes = List.copyOf(notes);
        }

        /** Whether something fits. */
        public boolean found() {
            return value != null;
        }
    }
}
