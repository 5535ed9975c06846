package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;
import gpupoor.calc.ServingOptions;

import java.util.List;

/**
 * The bytes of a model's weights under a storage format ({@link WeightFormat}), summed tensor by
 * tensor into the totals the memory plans and the speed model read. The blocks' bytes are kept as
 * running sums over the block index, so the bytes of any range of blocks (the ones llama.cpp
 * offloads, say) take one subtraction however many blocks the model has.
 *
 * @param quant          the storage format
 * @param format         how it was applied, in words (for the assumptions)
 * @param quantizedKernels whether the runtime's kernels dequantize these weights ({@link WeightFormat#quantizedKernels})
 * @param total          every byte
 * @param tokenEmbedding input (and position) embeddings
 * @param head           the LM head (0 when tied to the embedding)
 * @param layersBefore   for i from 0 to the block count, the bytes of blocks 0 to i - 1
 * @param largestLayer   the bytes of the largest block
 * @param denseActive    bytes read per decode step outside the routed experts (decoder only, head included)
 * @param perExpert      bytes of one routed expert summed over the MoE layers
 * @param repackBefore   the same running sums of the bytes llama.cpp's CPU backend repacks when a block runs
 *                       on the CPU ({@link WeightFormat#repackable}: Q4_0, Q4_K and IQ4_NL matrices)
 * @param repackOutside  the same outside the blocks (the output head)
 */
record WeightBytes(Quant quant, String format, boolean quantizedKernels, double total, double tokenEmbedding, double head,
                          double[] layersBefore, double largestLayer, double denseActive, double perExpert,
                          double[] repackBefore, double repackOutside) {

    /** Copies the arrays. */
    public WeightBytes {
        layersBefore = layersBefore.clone();
        repackBefore = repackBefore.clone();
    }

    /** Bytes of blocks {@code from} (inclusive) to {@code to} (exclusive). */
    public double layers(int from, int to) {
        return layersBefore[to] - layersBefore[from];
    }

    /** Repacked bytes of blocks {@code from} (inclusive) to {@code to} (exclusive). */
    public double repacked(int from, int to) {
        return repackBefore[to] - repackBefore[from];
    }

    /** Bytes of the blocks, all together. */
    public double allLayers() {
        return layersBefore[layersBefore.length - 1];
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
     * Each kind of block ({@link WeightFormat#sized}) is sized once; the totals add its bytes for
     * every block of the kind, in the model's order ({@link Architecture#inModelOrder}).
     */
    static WeightBytes of(Architecture a, ModelSpec model, Quant quant, boolean qlora, double exl2Bits, ServingOptions keep16) {
        WeightFormat format = WeightFormat.of(quant, model, qlora, exl2Bits, keep16);
        WeightFormat.Sizes sizes = format.sized(a);
        int kinds = sizes.kinds().size();
        double[][] bytes = new double[kinds][];
        double[][] dense = new double[kinds][];
        double[][] routed = new double[kinds][];
        double[] block = new double[kinds];
        double[] repack = new double[kinds];
        double largest = 0;
        for (int k = 0; k < kinds; k++) {
            List<WeightFormat.Sized> tensors = sizes.kinds().get(k);
            bytes[k] = tensors.stream().mapToDouble(WeightFormat.Sized::bytes).toArray();
            dense[k] = part(a, tensors, false);
            routed[k] = part(a, tensors, true);
            for (WeightFormat.Sized s : tensors) {
                block[k] += s.bytes();
                if (format.repackable(a, s.tensor())) {
                    repack[k] += s.bytes();
                }
            }
        }
        double[] before = new double[a.layers() + 1];
        double[] repackBefore = new double[a.layers() + 1];
        for (int i = 0; i < a.layers(); i++) {
            int k = sizes.kindOf()[i];
            before[i + 1] = before[i] + block[k];
            repackBefore[i + 1] = repackBefore[i] + repack[k];
            largest = Math.max(largest, block[k]);
        }
        double embedding = 0;
        double head = 0;
        double repackOutside = 0;
        for (WeightFormat.Sized s : sizes.outside()) {
            switch (s.tensor().role()) {
                case TOKEN_EMBD, POS_EMBD -> embedding += s.bytes();
                case OUTPUT -> head += s.bytes();
                default -> { }
            }
            if (format.repackable(a, s.tensor())) {
                repackOutside += s.bytes();
            }
        }
        List<WeightFormat.Sized> outside = sizes.outside();
        int lead = sizes.leading();
        double total = Architecture.inModelOrder(outside.stream().mapToDouble(WeightFormat.Sized::bytes).toArray(), lead,
                bytes, sizes.kindOf());
        double denseActive = Architecture.inModelOrder(part(a, outside, false), lead, dense, sizes.kindOf());
        double allRouted = Architecture.inModelOrder(part(a, outside, true), lead, routed, sizes.kindOf());
        double perExpert = a.moe() == null ? allRouted : allRouted / a.moe().experts();
        return new WeightBytes(quant, format.describe(), format.quantizedKernels(), total, embedding, head, before, largest,
                denseActive, perExpert, repackBefore, repackOutside);
    }

    /**
     * The bytes of the decoder's weights a token reads, tensor by tensor (0 for the others): the
     * routed experts' ({@code routed}), or the rest, the head included.
     */
    private static double[] part(Architecture a, List<WeightFormat.Sized> tensors, boolean routed) {
        double[] out = new double[tensors.size()];
        for (int j = 0; j < out.length; j++) {
            Tensor t = tensors.get(j).tensor();
            boolean decoderWeight = !a.isEncoder(t) && t.role().perToken();
            out[j] = decoderWeight && t.role().routedExpert() == routed ? tensors.get(j).bytes() : 0;
        }
        return out;
    }
}
