package gpupoor.calc;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The modules LoRA adapters are put on.
 *
 * @param modules the modules, never empty
 */
public record LoraTargets(Set<Module> modules) {

    /** A linear module of a transformer block that can carry an adapter. */
    public enum Module {
        /** Query projection. */
        Q,
        /** Key projection. */
        K,
        /** Value projection. */
        V,
        /** Attention output projection. */
        O,
        /** MLP gate projection. */
        GATE,
        /** MLP up projection. */
        UP,
        /** MLP down projection. */
        DOWN,
        /** The output projection to the vocabulary (the LM head; torchtune's {@code apply_lora_to_output}). */
        OUTPUT;

        /** The id: {@code q}, {@code k}, … {@code down}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The query and value projections: PEFT's and the original calculator's default. */
    public static final LoraTargets QV = new LoraTargets(EnumSet.of(Module.Q, Module.V));

    /** Every linear module of the blocks (PEFT's {@code all-linear}, which leaves the LM head out). */
    public static final LoraTargets ALL = new LoraTargets(EnumSet.range(Module.Q, Module.DOWN));

    /** Copies the set; it must not be empty. */
    public LoraTargets {
        if (modules == null || modules.isEmpty()) {
            throw new InvalidScenarioException(Input.LORA_TARGETS.words() + " must name at least one module of "
                    + ids());
        }
        modules = Collections.unmodifiableSet(EnumSet.copyOf(modules));
    }

    /**
     * Parses {@code all} (also {@code all-linear}: every linear module of the blocks) or a list of
     * {@code q, k, v, o, gate, up, down, output} separated by commas or spaces (a {@code _proj}
     * suffix is accepted; {@code output} is the LM head, also {@code lm_head}).
     */
    public static LoraTargets parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all") || t.equals("all-linear")) {
            return ALL;
        }
        EnumSet<Module> set = EnumSet.noneOf(Module.class);
        for (String part : t.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String p = part.equals("lm_head") || part.equals("lm-head") ? "output"
                    : part.endsWith("_proj") ? part.substring(0, part.length() - 5) : part;
            Module m = Arrays.stream(Module.values()).filter(x -> x.id().equals(p)).findFirst()
                    .orElseThrow(() -> new InvalidScenarioException("unknown LoRA target '" + part + "'; accepted: all, or a list of "
                            + ids() + Names.didYouMean(part, Arrays.stream(Module.values()).map(Module::id).toList())));
            set.add(m);
        }
        return new LoraTargets(set);
    }

    /** Whether {@code m} carries an adapter. */
    public boolean contains(Module m) {
        return modules.contains(m);
    }

    private static String ids() {
        return Arrays.stream(Module.values()).map(Module::id).collect(Collectors.joining(", "));
    }

    /** The module ids, comma-separated in block order, e.g. {@code q,v}. */
    public String id() {
        return modules.stream().map(Module::id).collect(Collectors.joining(","));
    }

    /** The modules in block order. */
    public List<Module> list() {
        return List.copyOf(modules);
    }

    @Override
    public String toString() {
        return id();
    }
}
