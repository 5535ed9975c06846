package gpupoor.calc.accurate;

import gpupoor.calc.accurate.Calibration.Param;
import gpupoor.calc.Framework;
import gpupoor.calc.TrainingTime;
import gpupoor.calc.Bound;

import java.util.List;

/**
 * Time per step from bytes moved and FLOPs, with the calibrated efficiencies of each framework and
 * device class. A step runs over one or more {@link Segment}s (devices, or the GPU and CPU parts of
 * a llama.cpp partial offload) one after another:
 * <ul>
 *   <li>decode: weights {@code max(bytes / (η_bw·BW), FLOPs / (η_d·peak))} + attention over the cache
 *       {@code max(KV bytes / (η_bw·BW), FLOPs / (η_attn·peak))} + layers·τ;</li>
 *   <li>prefill: {@code max(matmul FLOPs / (η_p·peak) + attention FLOPs / (η_attn·peak),
 *       chunks·weights / (η_bw·BW)) + chunks·layers·τ}, plus, where the runtime dequantizes
 *       quantized weights to fp16 in memory before its GEMMs (llama.cpp's cuBLAS path), that
 *       traffic per chunk;</li>
 *   <li>training: {@code (6·P·T, or 4·P·T for frozen LoRA bases, + 2·P·T recompute + attention) / (η_train·peak)}
 *       plus bitsandbytes dequantization traffic and the optimizer step's memory traffic.</li>
 * </ul>
 */
final class SpeedModel {
    private final Calibration cal;
    private final Framework framework;

    /**
     * Part of a model on one device.
     *
     * @param device      the device class
     * @param bandwidth   memory bandwidth, GB/s
     * @param peakTflops  dense matrix throughput the framework's kernels use
     * @param weights     weight bytes read per forward pass
     * @param kvPerToken  KV-cache bytes per cached token of this part's layers (full-attention layers)
     * @param kvSliding   KV bytes per token of this part's sliding-window layers
     * @param params      parameters multiplied per token (2 FLOPs each)
     * @param attnWidth   query width × full-attention layers of this part
     * @param slidingWidth query width × sliding layers of this part
     * @param layers      blocks in this part
     * @param quantized   whether the weights are quantized (dequantizing kernels)
     * @param streamed    whether the weights reach the device over a link ({@code bandwidth} is the link's,
     *                    reached at {@code link_bw_eff}) rather than from its own memory
     */
    public record Segment(DeviceClass device, double bandwidth, double peakTflops, double weights, double kvPerToken,
                          double kvSliding, double params, double attnWidth, double slidingWidth, int layers,
                          boolean quantized, boolean streamed) {
    }

    /** Bytes per second a segment's weights arrive at ({@code k}: the calibration of its device). */
    private static double weightRate(Segment s, Calibration.Row k) {
        return k.get(s.streamed() ? Param.LINK_BW_EFF : Param.DECODE_BW_EFF) * s.bandwidth() * 1e9;
    }

    /** A model for one framework. */
    public SpeedModel(Calibration cal, Framework framework) {
        this.cal = cal;
        this.framework = framework;
    }

    /** The calibration of a device class for this framework. */
    private Calibration.Row row(DeviceClass d) {
        return cal.row(framework, d);
    }

    /**
     * Seconds per decode step of {@code batch} sequences at context {@code context} (tokens already
     * cached), over segments run one after another, plus what the step spends crossing devices
     * ({@link Comms}). Per segment: the weights ({@code max(bytes / (η_bw·BW), 2·params·batch /
     * (η_d·peak))}, the second term being the dequantizing arithmetic that limits quantized decode on
     * weak GPUs), plus attention over the cache ({@code max(KV bytes / (η_bw·BW), 4·width·context·batch
     * / (η_attn·peak))}), plus a fixed time per layer (kernel launches and synchronization); an eager
     * runtime's step takes at least its CPU's time to dispatch every layer's kernels
     * ({@code dispatchLayerSeconds} per layer: Hugging Face generate is bound by it on fast GPUs).
     *
     * @param window sliding window (tokens) of the sliding layers (0: none)
     */
    public double decodeSeconds(List<Segment> parts, int batch, double context, int window, Comms comms,
                                double extraLayerSeconds, double dispatchLayerSeconds) {
        double t = 0;
        int layers = 0;
        for (int i = 0; i < parts.size(); i++) {
            Segment s = parts.get(i);
            Calibration.Row k = row(s.device());
            t += weightSeconds(s, k, batch) + attentionSeconds(s, k, batch, context, window)
                    + s.layers() * (k.get(Param.DECODE_LAYER_US) * 1e-6 + extraLayerSeconds);
            layers += s.layers();
        }
        // an eager runtime's CPU dispatches the kernels while the GPU runs them: the slower of the two sets the pace
        return Math.max(t, layers * dispatchLayerSeconds) + comms.seconds(batch);
    }

    private static double weightSeconds(Segment s, Calibration.Row k, int batch) {
        double mem = s.weights() / (k.get(Param.DECODE_BW_EFF) * s.bandwidth() * 1e9);
        double comp = batch * 2 * s.params() / (k.get(s.quantized() ? Param.DECODE_FLOPS_EFF_QUANT : Param.DECODE_FLOPS_EFF)
                * s.peakTflops() * 1e12);
        return Math.max(mem, comp);
    }

    private static double attentionSeconds(Segment s, Calibration.Row k, int batch, double context, int window) {
        double seen = Math.min(context, window);
        double kv = batch * (s.kvPerToken() * context + s.kvSliding() * seen);
        double flops = batch * 4 * (s.attnWidth() * context + s.slidingWidth() * seen);
        return Math.max(kv / (k.get(Param.DECODE_BW_EFF) * s.bandwidth() * 1e9),
                flops / (k.get(Param.DECODE_ATTN_EFF) * s.peakTflops() * 1e12));
    }

    /** Whether the decode step is limited by arithmetic (checked on the first segment's weights). */
    public Bound decodeBound(List<Segment> parts, int batch) {
        Segment s = parts.get(0);
        Calibration.Row k = row(s.device());
        double mem = s.weights() / (k.get(Param.DECODE_BW_EFF) * s.bandwidth() * 1e9);
        return weightSeconds(s, k, batch) > mem ? Bound.COMPUTE : Bound.MEMORY;
    }

    /**
     * Seconds to prefill {@code batch} prompts of {@code prompt} tokens processed in chunks of
     * {@code chunk} tokens (llama.cpp's ubatch; the whole batch for PyTorch runtimes); the LM head
     * runs for the last position of each prompt only. With {@code stages} > 1 pipeline stages
     * (llama.cpp's layer split), chunks overlap across the stages, up to {@code inFlight} at a time:
     * as in a flow shop whose chunks take the same time on every stage, each flush of chunks takes
     * (its sequential time + (stages - 1) × the longest chunk's) / stages, so a prompt one token
     * longer never takes less time. Each chunk pays what crossing the devices costs ({@link Comms});
     * weights streamed from host memory (a partial offload's CPU layers on the GPU) come over the link
     * once per chunk; an eager runtime's chunk takes at least its CPU's dispatch of every layer
     * ({@code dispatchLayerSeconds} per layer).
     */
    public double prefillSeconds(List<Segment> parts, int batch, int prompt, int chunk, int window, double headParams,
                                 Comms comms, int stages, int inFlight, double dispatchLayerSeconds) {
        double tokens = (double) batch * prompt;
        double chunks = Math.ceil(tokens / Math.max(1, chunk));
        double chunkTokens = Math.min(tokens, Math.max(1, chunk));
        Segment last = parts.get(parts.size() - 1);
        double t = 0;
        double longestChunk = 0;
        int layers = 0;
        for (int i = 0; i < parts.size(); i++) {
            Segment s = parts.get(i);
            Calibration.Row k = row(s.device());
            // the LM head (held by the last part) runs for the last position of each prompt only
            double head = s == last ? headParams : 0;
            double mm = 2 * (s.params() - head) * tokens + 2 * head * batch;
            double mmChunk = 2 * (s.params() - head) * chunkTokens + 2 * head * Math.min(batch, chunkTokens);
            double attn = batch * 2 * (s.attnWidth() * (double) prompt * prompt
                    + s.slidingWidth() * slidingPairs(prompt, window));
            double etaP = k.get(s.quantized() ? Param.PREFILL_FLOPS_EFF_QUANT : Param.PREFILL_FLOPS_EFF);
            double flops = etaP * s.peakTflops() * 1e12;
            double attnFlops = k.get(Param.PREFILL_ATTN_EFF) * s.peakTflops() * 1e12;
            double bytesPerSecond = k.get(Param.DECODE_BW_EFF) * s.bandwidth() * 1e9;
            double mem = s.weights() / weightRate(s, k);
            double perParam = k.get(Param.PREFILL_DEQUANT_BYTES);
            double dequant = s.quantized() && perParam > 0 ? (s.weights() + perParam * s.params()) / bytesPerSecond : 0;
            double layerTime = s.layers() * k.get(Param.DECODE_LAYER_US) * 1e-6;
            t += Math.max(Math.max(mm, 0) / flops + attn / attnFlops, chunks * mem) + chunks * (dequant + layerTime);
            longestChunk += Math.max(Math.max(mmChunk, 0) / flops + attn * (chunkTokens / tokens) / attnFlops, mem)
                    + dequant + layerTime;
            layers += s.layers();
        }
        if (stages > 1 && chunks > 1) {
            double flushes = Math.ceil(chunks / Math.max(1, inFlight));
            t = (t + flushes * (stages - 1) * longestChunk) / stages;
        }
        // an eager runtime dispatches every layer's kernels once per chunk: short prompts wait for the CPU
        t = Math.max(t, chunks * layers * dispatchLayerSeconds);
        return t + chunks * comms.seconds(tokens / chunks);
    }

    /** Query-key pairs of a causal prompt whose keys lie within the window: {@code Σ min(i, w)} halved like the full case. */
    private static double slidingPairs(int prompt, int window) {
        if (window <= 0 || prompt <= window) {
            return (double) prompt * prompt;
        }
        return (double) window * window + 2.0 * window * (prompt - window);
    }

    /**
     * One fine-tuning iteration: its milliseconds, and whether arithmetic or memory traffic dominates.
     *
     * @param tokens          tokens per iteration (batch × sequence)
     * @param params          parameters multiplied per token
     * @param trainsAll       full fine-tuning (weight gradients for every layer)
     * @param attnFlops       forward attention FLOPs of the iteration
     * @param recompute       gradient checkpointing (one more forward)
     * @param dequantBytes    bytes a bitsandbytes base moves per pass to dequantize its weights (0 otherwise)
     * @param optimizerBytes  bytes the optimizer step reads and writes
     */
    public TrainingTime trainingTime(DeviceClass d, double peakTflops, double bandwidth, double tokens, double params,
                                 boolean trainsAll, double attnFlops, boolean recompute, double dequantBytes,
                                 double optimizerBytes) {
        double forward = 2 * params * tokens + attnFlops;
        double flops = forward * (trainsAll ? 3 : 2) + (recompute ? forward : 0);
        Calibration.Row k = row(d);
        double comp = flops / (k.get(Param.TRAIN_FLOPS_EFF) * peakTflops * 1e12);
        double passes = recompute ? 3 : 2;
        double mem = (passes * dequantBytes + optimizerBytes) / (k.get(Param.DECODE_BW_EFF) * bandwidth * 1e9);
        double ms = 1000 * (comp + mem);
        return new TrainingTime(ms, comp >= mem ? Bound.COMPUTE : Bound.MEMORY);
    }
}
