package gpupoor.calc;

import java.util.Arrays;
import java.util.List;

/** The inference/training runtime a scenario runs on. */
public enum Framework {
    /** Hugging Face transformers (PyTorch eager or SDPA); the only training framework. */
    HF("hf", "Hugging Face transformers"),
    /** vLLM, which pre-allocates a fraction of GPU memory and fills it with KV blocks. */
    VLLM("vllm", "vLLM"),
    /** llama.cpp (GGUF/GGML files), on GPU, CPU or Apple Silicon. */
    LLAMA_CPP("llama.cpp", "llama.cpp");

    private final String id;
    private final String label;

    Framework(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The id used on the command line and in CSV files ({@code hf}, {@code vllm}, {@code llama.cpp}). */
    public String id() {
        return id;
    }

    /** A human-readable name. */
    public String label() {
        return label;
    }

    /**
     * Parses a framework id, case-insensitively; {@code llamacpp}, {@code llama-cpp}, {@code gguf}
     * and {@code transformers} are accepted as aliases.
     *
     * @throws InvalidScenarioException naming the accepted ids
     */
    public static Framework parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "hf", "huggingface", "transformers" -> { return HF; }
            case "vllm" -> { return VLLM; }
            case "llama.cpp", "llamacpp", "llama-cpp", "llama_cpp", "gguf", "ggml" -> { return LLAMA_CPP; }
            default -> throw new InvalidScenarioException("unknown framework '" + text + "'; accepted: "
                    + String.join(", ", ids()) + Names.didYouMean(text, ids()));
        }
    }

    /**
     * The runtime a scenario gets when none is given: llama.cpp for a GGUF quantization, and for
     * inference on a CPU or an Apple chip (where it is the usual runtime); Hugging Face transformers
     * otherwise (GPUs, and all fine-tuning).
     *
     * @param quant  the weights' storage (null: unquantized)
     * @param device the device, or null for none
     * @param mode   inference or training (null: inference)
     */
    public static Framework defaultFor(Quant quant, Hardware device, Mode mode) {
        boolean offGpu = device != null && !device.isGpu() && mode != Mode.TRAINING;
        return quant != null && quant.isGguf() || offGpu ? LLAMA_CPP : HF;
    }

    /** All framework ids. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Framework::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
