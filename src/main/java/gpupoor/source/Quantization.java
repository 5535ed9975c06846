package gpupoor.source;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * How a model's weights are quantized, in neutral terms: the {@code quantization_config} of a
 * Hugging Face config.json mapped to a method, bits, group size and the modules kept unquantized,
 * or the ggml types of a GGUF file.
 *
 * <p>Exact (copied from the config): {@code name}, {@code bits}, {@code groupSize}, {@code scheme},
 * {@code unquantized}, {@code raw}. Derived: {@code method} (from {@code quant_method} and, for
 * bitsandbytes, {@code load_in_4bit}/{@code load_in_8bit}); for compressed-tensors the bits, group
 * size and scheme of its first weight group; for GGUF the scheme is the ggml type holding the most
 * bytes.
 *
 * @param method      the neutral method
 * @param name        the name the source gives ({@code quant_method}, or {@code gguf})
 * @param bits        bits per weight of the quantized weights, or null when the config does not say
 * @param groupSize   weights sharing one scale, -1 for one scale per output channel, or null when not stated
 * @param scheme      the number format where the method has several: {@code nf4}/{@code fp4} for
 *                    bitsandbytes 4-bit, {@code e4m3} for FP8, {@code int}/{@code float} and the
 *                    strategy for compressed-tensors, the main ggml type for GGUF; else null
 * @param unquantized modules (name patterns) the config keeps in full precision
 *                    ({@code modules_to_not_convert}, {@code llm_int8_skip_modules}, {@code ignore} …)
 * @param raw         the {@code quantization_config} object as written (null for GGUF)
 */
public record Quantization(Method method, String name, Integer bits, Integer groupSize, String scheme,
                           List<String> unquantized, ObjectNode raw) {

    /** The quantization methods told apart. */
    public enum Method {
        GPTQ, AWQ, BITSANDBYTES_4BIT, BITSANDBYTES_8BIT, FP8, COMPRESSED_TENSORS, MXFP4, NVFP4, GGUF,
        /** Any other {@code quant_method} (hqq, quanto, eetq, torchao, bitnet …): see {@code name} and {@code raw}. */
        OTHER
    }

    /** Keeps the list unmodifiable and the raw object private. */
    public Quantization {
        unquantized = List.copyOf(unquantized);
        raw = raw == null ? null : raw.deepCopy();
    }

    /** The {@code quantization_config} as written (a copy), or null. */
    @Override
    public ObjectNode raw() {
        return raw == null ? null : raw.deepCopy();
    }
}
