package gpupoor.calc.accurate;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference the grouped figures must equal: every tensor of every block, walked one block at a
 * time and sized one tensor at a time, as the engine did before blocks were grouped by shape.
 */
final class PerLayerWalk {
    private PerLayerWalk() {
    }

    /** Every tensor of the model in its order: the embeddings, each block's own, the rest outside the blocks. */
    static List<Tensor> tensors(Architecture a) {
        List<Tensor> out = new ArrayList<>(a.outside().subList(0, a.leading()));
        for (int i = 0; i < a.layers(); i++) {
            out.addAll(a.block(i).at(i));
        }
        out.addAll(a.outside().subList(a.leading(), a.outside().size()));
        return out;
    }

    /** The bytes of each block in a format, tensor by tensor. */
    static double[] layerBytes(Architecture a, WeightFormat f) {
        double[] bytes = new double[a.layers()];
        for (Tensor t : tensors(a)) {
            if (t.layer() >= 0) {
                bytes[t.layer()] += f.bytes(a, t);
            }
        }
        return bytes;
    }

    /** The bytes llama.cpp's CPU backend repacks in each block. */
    static double[] repackBytes(Architecture a, WeightFormat f) {
        double[] bytes = new double[a.layers()];
        for (Tensor t : tensors(a)) {
            if (t.layer() >= 0 && f.repackable(a, t)) {
                bytes[t.layer()] += f.bytes(a, t);
            }
        }
        return bytes;
    }

    /** Every byte. */
    static double totalBytes(Architecture a, WeightFormat f) {
        double sum = 0;
        for (Tensor t : tensors(a)) {
            sum += f.bytes(a, t);
        }
        return sum;
    }

    /** Bytes of the decoder's routed experts (or, with {@code routed} false, of its other per-token weights). */
    static double decoderBytes(Architecture a, WeightFormat f, boolean routed) {
        double sum = 0;
        for (Tensor t : tensors(a)) {
            if (!a.isEncoder(t) && t.role().perToken() && t.role().routedExpert() == routed) {
                sum += f.bytes(a, t);
            }
        }
        return sum;
    }

    /** Every parameter. */
    static long totalParams(Architecture a) {
        long n = 0;
        for (Tensor t : tensors(a)) {
            n += t.params();
        }
        return n;
    }

    /** Parameters a token multiplies by (routed experts: the active ones), the tied head included. */
    static double activeParams(Architecture a) {
        double n = 0;
        for (Tensor t : tensors(a)) {
            if (t.role().perToken() && !a.isEncoder(t)) {
                n += t.role().routedExpert() ? t.paramsPerCopy() * a.expertsTouched(1) : t.params();
            }
        }
        return n + (a.tiedEmbeddings() ? (double) a.vocab() * a.hidden() : 0);
    }

    /** The largest tensor's parameters. */
    static double largestTensorParams(Architecture a) {
        double max = 0;
        for (Tensor t : tensors(a)) {
            max = Math.max(max, (double) t.params());
        }
        return max;
    }
}
