package gpupoor.validate;

import gpupoor.args.ScenarioArgs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inference options of issue 13 that the bundled rows' {@code settings} use and that this
 * branch does not parse yet (another branch implements them): a row that gives one is invalid here,
 * with a message naming it. Tests of the column mapping read rows without them.
 */
final class PendingOptions {
    private PendingOptions() {
    }

    /** The options, with a value unless a flag. */
    static final Set<String> WITH_VALUE = Set.of("--runtime-version", "--split-mode", "--gptq-kernel", "--bnb-4bit-type",
            "--max-num-seqs", "--max-num-batched-tokens", "--max-lora-rank", "--max-model-len", "--batch-size",
            "--threads", "--interconnect", "--unquantized-modules");
    /** The flags among them. */
    static final Set<String> FLAGS = Set.of("--no-mmap", "--bnb-double-quant", "--enforce-eager");

    /** Whether a result is invalid only because its settings name one of these options. */
    static boolean pending(RowResult r) {
        String reason = r.reason() == null ? "" : r.reason();
        return r.status() == Status.INVALID && (WITH_VALUE.stream().anyMatch(o -> reason.contains("unknown option '" + o + "'"))
                || FLAGS.stream().anyMatch(o -> reason.contains("unknown option '" + o + "'")));
    }

    /** The row with these options (and their values) removed from its settings. */
    static Measurement without(Measurement m) {
        String settings = m.text("settings");
        if (settings.isEmpty()) {
            return m;
        }
        List<String> kept = new ArrayList<>();
        List<String> words = ScenarioArgs.split(settings);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            if (FLAGS.contains(name)) {
                continue;
            }
            if (WITH_VALUE.contains(name)) {
                if (!w.contains("=")) {
                    i++;
                }
                continue;
            }
            kept.add(w);
        }
        Map<String, String> cells = new LinkedHashMap<>(m.cells());
        cells.put("settings", String.join(" ", kept));
        return new Measurement(m.row(), cells);
    }
}
