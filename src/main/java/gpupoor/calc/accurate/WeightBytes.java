package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;

import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of a model's weights under a storage format ({@link WeightFormat}), summed into the
 * totals the memory plans and the speed model read. Each distinct block (its {@link Architecture.Block}
 * shape and the format's {@link WeightFormat#layerClass}) is priced once; a block's bytes are looked
 * up, never stored per layer, so a model of any depth takes the same memory.
 */
final class WeightBytes {
    private final Quant quant;
    private final String format;
    private final boolean quantizedKernels;
    private final double total;
    private final double tokenEmbedding;
    private final double head;
    private final double allLayers;
    private final double maxLayer;
    private final double denseActive;
    private final double perExpert;
    private final Architecture architecture;
    private final WeightFormat weightFormat;
    /**
     * Bytes of one block by its shape and layer class: computed once per distinct block, all of them
     * in the constructor (so later reads never write, and the facts can be shared between threads).
     */
    private final Map<Integer, double[]> blockBytes;

    private WeightBytes(Quant quant, Architecture a, WeightFormat f) {
        this.quant = quant;
        this.format = f.describe();
        this.quantizedKernels = f.quantizedKernels();
        this.architecture = a;
        this.weightFormat = f;
        this.blockBytes = new HashMap<>();
        double sum = 0;
        double embedding = 0;
        double lmHead = 0;
        double dense = 0;
        for (Tensor t : a.globals()) {
            double b = f.bytes(a, t, -1);
            sum += b;
            switch (t.role()) {
                case TOKEN_EMBD, POS_EMBD -> embedding += b;
                case OUTPUT -> lmHead += b;
                default -> { }
            }
            if (t.role() != Tensor.Role.TOKEN_EMBD && t.role() != Tensor.Role.POS_EMBD) {
                dense += b;
            }
        }
        double layers = 0;
        double max = 0;
        double expert = 0;
        for (int i = 0; i < a.layers(); i++) {
            double[] block = block(i);
            layers += block[0];
            max = Math.max(max, block[0]);
            if (a.block(i).decoder()) {
                dense += block[1];
                expert += block[2];
            }
        }
        this.total = sum + layers;
        this.tokenEmbedding = embedding;
        this.head = lmHead;
        this.allLayers = layers;
        this.maxLayer = max;
        this.denseActive = dense;
        this.perExpert = expert;
    }

    /**
     * The weights of a model stored as {@code quant}.
     *
     * @param qlora whether bitsandbytes NF4 uses double quantization (QLoRA's setting; plain 4-bit
     *              loading in transformers does not)
     */
    static WeightBytes of(Architecture a, ModelSpec model, Quant quant, boolean qlora) {
        return new WeightBytes(quant, a, WeightFormat.of(quant, model, qlora));
    }

    /** [all bytes, bytes outside the routed experts, bytes of one routed expert] of block {@code layer}. */
    private double[] block(int layer) {
        Architecture.Block b = architecture.block(layer);
        int key = b.kind().ordinal() << 16 | weightFormat.layerClass(architecture, layer);
        double[] bytes = blockBytes.get(key);
        if (bytes == null) {
            bytes = new double[3];
            for (Tensor t : b.tensors()) {
                double x = weightFormat.bytes(architecture, t, layer);
                bytes[0] += x;
                if (t.role().routedExpert()) {
                    bytes[2] += x / t.copies();
                } else {
                    bytes[1] += x;
                }
            }
            blockBytes.put(key, bytes);
        }
        return bytes;
    }

    /** The storage format. */
    Quant quant() {
        return quant;
    }

    /** How it was applied, in words (for the assumptions). */
    String format() {
        return format;
    }

    /** Whether the runtime's kernels dequantize these weights ({@link WeightFormat#quantizedKernels}). */
    boolean quantizedKernels() {
        return quantizedKernels;
    }

    /** Every byte. */
    double total() {
        return total;
    }

    /** Input (and position) embeddings. */
    double tokenEmbedding() {
        return tokenEmbedding;
    }

    /** The LM head (0 when tied to the embedding). */
    double head() {
        return head;
    }

    /** Bytes read per decode step outside the routed experts (decoder only, head included). */
    double denseActive() {
        return denseActive;
    }

    /** Bytes of one routed expert summed over the MoE layers. */
    double perExpert() {
        return perExpert;
    }

    /** Bytes of block {@code i}. */
    double layer(int i) {
        return block(i)[0];
    }

    /** Bytes of the last {@code count} blocks (where llama.cpp offloads its GPU layers). */
    double lastLayers(int count) {
        int layers = architecture.layers();
        if (count >= layers) {
            return allLayers;
        }
        double sum = 0;
        for (int i = Math.max(0, layers - count); i < layers; i++) {
            sum += block(i)[0];
        }
        return sum;
    }

    /** Bytes of the largest block. */
    double maxLayer() {
        return maxLayer;
    }

    /** Bytes of the blocks, all together. */
    double allLayers() {
        return allLayers;
    }

    /** Bytes of the tensors outside the blocks (embeddings, head, final norm). */
    double outsideLayers() {
        return total - allLayers;
    }

    /** Average bits per parameter. */
    double bitsPerParam(Architecture a) {
        return 8 * total / a.totalParams();
    }

    /**
     * Bytes read from memory per decode step of {@code batch} sequences: the decoder's weights with
     * the routed experts that the batch's tokens select, and the LM head (also when tied).
     */
    double activeBytes(Architecture a, double batch) {
        double tiedHead = a.tiedEmbeddings() ? tokenEmbedding : 0;
        return denseActive + tiedHead + perExpert * a.expertsTouched(batch);
    }
}
