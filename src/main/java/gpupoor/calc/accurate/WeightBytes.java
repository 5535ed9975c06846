package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.calc.ServingOptions;

/**
 * The bytes of a model's weights under a storage format ({@link WeightFormat}), summed tensor by
 * tensor into the totals the memory plans and the speed model read.
 *
 * @param quant          the storage format
 * @param format         how it was applied, in words (for the assumptions)
 * @param quantizedKernels whether the runtime's kernels dequantize these weights ({@link WeightFormat#quantizedKernels})
 * @param total          every byte
 * @param tokenEmbedding input (and position) embeddings
 * @param head           the LM head (0 when tied to the embedding)
 * @param layers         per block
 * @param denseActive    bytes read per decode step outside the routed experts (decoder only, head included)
 * @param perExpert      bytes of one routed expert summed over the MoE layers
 * @param repackLayers   per block, the bytes llama.cpp's CPU backend repacks when the block runs on the CPU
 *                       ({@link WeightFormat#repackable}: Q4_0, Q4_K and IQ4_NL matrices)
 * @param repackOutside  the same outside the blocks (the output head)
 */
record WeightBytes(Quant quant, String format, boolean quantizedKernels, double total, double tokenEmbedding, double head, double[] layers,
                          double denseActive, double perExpert, double[] repackLayers, double repackOutside) {

    /** Copies the arrays. */
    public WeightBytes {
        layers = layers.clone();
        repackLayers = repackLayers.clone();
    }

    /** Repacked bytes of blocks {@code from} (inclusive) to {@code to} (exclusive). */
    public double repacked(int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += repackLayers[i];
        }
        return sum;
    }

    /** Bytes of block {@code i}. */
    public double layer(int i) {
        return layers[i];
    }

    /** Bytes of the blocks, all together. */
    public double allLayers() {
        double sum = 0;
        for (double b : layers) {
            sum += b;
        }
        return sum;
    }

    /** Bytes of the tensors outside the blocks (embeddings, head, final norm). */
    public double outsideLayers() {
        return total - allLayers();
    }

    /** Average bits per parameter. */
    public double bitsPerParam(Architecture a) {
        return 8 * total / a.totalParams();
    }

    /**
     * Bytes read from memory per decode step of {@code batch} sequences: the decoder's weights with
     * the routed experts that the batch's tokens select, and the LM head (also when tied).
     */
    public double activeBytes(Architecture a, double batch) {
        double head = a.tiedEmbeddings() ? tokenEmbedding : 0;
        return denseActive + head + perExpert * a.expertsTouched(batch);
    }

    /**
     * The weights of a model stored as {@code quant}.
     *
     * @param qlora whether bitsandbytes NF4 uses double quantization (QLoRA's setting; plain 4-bit
     *              loading in transformers does not); EXL2 weights at {@link ModelFacts#DEFAULT_EXL2_BITS}
     */
    static WeightBytes of(Architecture a, ModelSpec model, Quant quant, boolean qlora) {
        return of(a, model, quant, qlora, ModelFacts.DEFAULT_EXL2_BITS, null);
    }

    /**
     * As {@link #of(Architecture, ModelSpec, Quant, boolean)}, EXL2 weights at {@code exl2Bits} bits per
     * weight and a bitsandbytes checkpoint keeping the modules {@code keep16} names in 16 bits (null: none).
     */
    static WeightBytes of(Architecture a, ModelSpec model, Quant quant, boolean qlora, double exl2Bits, ServingOptions keep16) {
        WeightFormat format = WeightFormat.of(quant, model, qlora, exl2Bits, keep16);
        double total = 0;
        double embedding = 0;
        double head = 0;
        double dense = 0;
        double routed = 0;
        double[] layers = new double[a.layers()];
        double[] repack = new double[a.layers()];
        double repackOutside = 0;
        for (WeightFormat.Sized s : format.sized(a)) {
            Tensor t = s.tensor();
            double b = s.bytes();
            total += b;
            if (format.repackable(a, t)) {
                if (t.layer() >= 0) {
                    repack[t.layer()] += b;
                } else {
                    repackOutside += b;
                }
            }
            switch (t.role()) {
                case TOKEN_EMBD, POS_EMBD -> embedding += b;
                case OUTPUT -> head += b;
                default -> { }
            }
            if (t.layer() >= 0) {
                layers[t.layer()] += b;
            }
            boolean decoderWeight = !a.isEncoder(t) && t.role().perToken();
            if (decoderWeight && t.role().routedExpert()) {
                routed += b;
            } else if (decoderWeight) {
                dense += b;
            }
        }
        double perExpert = a.moe() == null ? routed : routed / a.moe().experts();
        return new WeightBytes(quant, format.describe(), format.quantizedKernels(), total, embedding, head, layers, dense,
                perExpert, repack, repackOutside);
    }
}
