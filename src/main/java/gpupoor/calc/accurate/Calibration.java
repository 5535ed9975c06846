package gpupoor.calc.accurate;

import gpupoor.calc.Framework;

import java.util.Collection;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fitted efficiencies and runtime constants of the default method, as data (the bundled ones
 * come from {@code catalog/calibration.csv}, with how each value was obtained). A value is looked
 * up for a framework and a device class, falling back to any framework ({@code *}) and any device.
 * Immutable; equal when the entries are.
 */
public final class Calibration {

    private final Map<String, Entry> entries;
    /**
     * Every look-up resolved, built on first use: the values that apply to each (framework or any,
     * device class or any) pair, indexed by {@link #slot}.
     */
    private volatile Row[] rows;

    /** The calibrated quantities, by their id in {@code calibration.csv} (e.g. {@code decode_bw_eff}). */
    public enum Param {
        /** Tensor-parallel all-reduce latency over NVLink (a switch: flat in the device count), microseconds. */
        ALLREDUCE_NVLINK_US,
        /** Tensor-parallel all-reduce latency over PCIe per device beyond the first (a ring through the host), microseconds. */
        ALLREDUCE_PCIE_US,
        /** Share of unified memory an Apple GPU may wire on large configurations. */
        APPLE_GPU_FRACTION_LARGE,
        /** Share of unified memory an Apple GPU may wire on small configurations. */
        APPLE_GPU_FRACTION_SMALL,
        /** Unified memory (GiB) from which an Apple configuration counts as large. */
        APPLE_LARGE_MIN_GIB,
        /** Memory macOS keeps from the CPU cores of an Apple SoC, MiB. */
        APPLE_OS_RESERVED_MIB,
        /** transformers with bitsandbytes: extra dispatch per layer per decode step, microseconds. */
        BNB_LAYER_US,
        /** CPU backends: thread synchronization per layer per decode step per thread, microseconds. */
        CPU_SYNC_US,
        /** Runtime (CUDA) context per GPU, MiB. */
        CUDA_CONTEXT_MIB,
        /** Share of peak FLOPS attention over the cache reaches in decode. */
        DECODE_ATTN_EFF,
        /** Share of peak bandwidth a decode step reaches. */
        DECODE_BW_EFF,
        /** Eager runtimes: CPU time to dispatch one layer's kernels per decode step, microseconds. */
        DISPATCH_US,
        /** Share of peak FLOPS unquantized decode matmuls reach. */
        DECODE_FLOPS_EFF,
        /** Share of peak FLOPS quantized decode matmuls reach (dequantizing arithmetic). */
        DECODE_FLOPS_EFF_QUANT,
        /** Fixed time per layer per decode step, microseconds. */
        DECODE_LAYER_US,
        /** Share of a GPU's memory CUDA does not report as its total (driver and firmware). */
        GPU_INVISIBLE_FRACTION,
        /** Memory the driver keeps from a GPU, MiB. */
        GPU_RESERVED_MIB,
        /** transformers with auto-gptq's cuda-old kernel: extra dispatch per layer per decode step, microseconds. */
        GPTQ_LAYER_US,
        /** Peak of Hugging Face's growing KV cache over the final cache. */
        HF_KV_GROWTH,
        /** Bandwidth of hidden states crossing devices, GB/s. */
        HOP_GBS,
        /** Latency per device boundary per step, microseconds. */
        HOP_US,
        /** Host memory bandwidth of a typical desktop, GB/s. */
        HOST_BANDWIDTH_GBS,
        /** Host fp32 throughput of a typical desktop, TFLOPS. */
        HOST_FP32_TFLOPS,
        /** Share of a GPU link's bandwidth collectives reach. */
        LINK_BW_EFF,
        /** llama.cpp's logical batch, tokens. */
        LLAMACPP_N_BATCH,
        /** Host link (PCIe) bandwidth achieved by offloaded activations and optimizer traffic, GB/s. */
        OFFLOAD_GBS,
        /** Share of peak FLOPS prefill attention reaches. */
        PREFILL_ATTN_EFF,
        /** Bytes of dequantized weights written per quantized weight byte per prefill chunk. */
        PREFILL_DEQUANT_BYTES,
        /** Share of peak FLOPS unquantized prefill matmuls reach. */
        PREFILL_FLOPS_EFF,
        /** Share of peak FLOPS quantized prefill matmuls reach. */
        PREFILL_FLOPS_EFF_QUANT,
        /** llama.cpp row split: synchronization per gathered matrix product, microseconds. */
        ROW_SPLIT_US,
        /** llama.cpp row split: synchronization per gathered matrix product per device beyond the first, microseconds. */
        ROW_SPLIT_GPU_US,
        /** Runtime context off GPUs, MiB. */
        RUNTIME_CONTEXT_MIB,
        /** Bus bandwidth of the collectives between the GPUs of a data-parallel fine-tuning run, GB/s. */
        TRAIN_COMM_GBS,
        /** Speed-up of torch.compile in fine-tuning. */
        TRAIN_COMPILE_SPEEDUP,
        /** Share of peak FLOPS fine-tuning reaches. */
        TRAIN_FLOPS_EFF,
        /** CPU time to dispatch one block's kernels in one pass of eager PyTorch fine-tuning, microseconds. */
        TRAIN_LAYER_US,
        /** Fine-tuning's fixed overhead per GPU, MiB. */
        TRAIN_OVERHEAD_MIB,
        /** vLLM's CUDA-graph memory per GPU, MiB. */
        VLLM_GRAPH_MIB,
        /** vLLM's non-torch memory per GPU at tensor parallel 1, MiB. */
        VLLM_NON_TORCH_MIB,
        /** vLLM's non-torch memory per GPU per extra tensor-parallel rank (NCCL and all-reduce buffers), MiB. */
        VLLM_NON_TORCH_TP_MIB,
        /** vLLM's non-torch memory per GPU per tensor-parallel rank before its January 2025 profiler (PR 12126), MiB. */
        VLLM_NON_TORCH_LEGACY_MIB,
        /** Bytes the sampler of vLLM's profiling pass holds per sequence per vocabulary entry. */
        VLLM_SAMPLER_BYTES;

        private final String id = name().toLowerCase(Locale.ROOT);

        /** The id in {@code calibration.csv}, e.g. {@code decode_bw_eff}. */
        public String id() {
            return id;
        }

        /**
         * The parameter of an id.
         *
         * @throws IllegalArgumentException naming the known ids
         */
        public static Param parse(String id) {
            for (Param p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown calibration parameter '" + id + "'; known: "
                    + String.join(", ", Arrays.stream(values()).map(Param::id).toList()));
        }
    }

    /**
     * One calibrated value.
     *
     * @param parameter  what it is
     * @param framework  framework id or {@code *}
     * @param device     device class id or {@code *}
     * @param value      the value
     * @param unit       its unit
     * @param source     how it was obtained (fitted on which rows, or from which documentation)
     */
    public record Entry(Param parameter, String framework, String device, double value, String unit, String source) {
        /** {@code parameter|framework|device}. */
        public String key() {
            return keyOf(parameter, framework, device);
        }
    }

    private static String keyOf(Param parameter, String framework, String device) {
        return parameter.id() + "|" + framework + "|" + device;
    }

    /**
     * A calibration of a copy of {@code entries}.
     *
     * @param entries the values by {@link Entry#key()}
     */
    public Calibration(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The values by {@link Entry#key()}. */
    public Map<String, Entry> entries() {
        return entries;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && entries.equals(c.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Calibration" + entries.values();
    }

    /** A calibration holding {@code list}. */
    public static Calibration of(Collection<Entry> list) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : list) {
            m.put(e.key(), e);
        }
        return new Calibration(m);
    }

    /**
     * The value of {@code parameter} for a framework and a device class (either may be null: any).
     *
     * @throws IllegalStateException when the calibration has no value that applies
     */
    public double get(Param parameter, Framework framework, DeviceClass device) {
        return row(framework, device).get(parameter);
    }

    /**
     * Every value that applies to a framework and a device class (either may be null: any), for a
     * caller that reads several: a look-up per value is then an array read.
     */
    public Row row(Framework framework, DeviceClass device) {
        Row[] all = rows;
        if (all == null) {
            all = resolveAll();
            rows = all;
        }
        return all[slot(framework, device)];
    }

    /** The values that apply to one (framework or any, device class or any) pair, by parameter. */
    public static final class Row {
        private final double[] values;
        private final Entry[] entries;
        private final Framework framework;
        private final DeviceClass device;

        private Row(Entry[] entries, Framework framework, DeviceClass device) {
            this.entries = entries;
            this.framework = framework;
            this.device = device;
            values = new double[entries.length];
            for (int p = 0; p < entries.length; p++) {
                values[p] = entries[p] == null ? Double.NaN : entries[p].value();
            }
        }

        /**
         * The value of {@code parameter}.
         *
         * @throws IllegalStateException when the calibration has no value that applies
         */
        public double get(Param parameter) {
            double v = values[parameter.ordinal()];
            return v == v ? v : missing(parameter);
        }

        /** A NaN value as given, or the error saying no value applies. */
        private double missing(Param parameter) {
            Entry e = entries[parameter.ordinal()];
            if (e == null) {
                throw new IllegalStateException("the calibration has no value for " + parameter.id() + " (framework "
                        + (framework == null ? "*" : framework.id()) + ", device " + (device == null ? "*" : device.id()) + ")");
            }
            return e.value();
        }
    }

    /** The index of a (framework or null, device class or null) pair in {@link #rows} (small enough for C1 to inline). */
    private static int slot(Framework framework, DeviceClass device) {
        return (framework == null ? 0 : framework.index() + 1) * SLOTS_PER_FRAMEWORK + (device == null ? 0 : device.ordinal() + 1);
    }

    private static final DeviceClass[] DEVICES = DeviceClass.values();
    /** Any device class, then each. */
    private static final int SLOTS_PER_FRAMEWORK = DEVICES.length + 1;

    private Row[] resolveAll() {
        List<Framework> frameworks = Framework.all();
        Param[] params = Param.values();
        Row[] all = new Row[(frameworks.size() + 1) * SLOTS_PER_FRAMEWORK];
        for (int f = -1; f < frameworks.size(); f++) {
            for (int d = -1; d < DEVICES.length; d++) {
                Framework fw = f < 0 ? null : frameworks.get(f);
                DeviceClass dc = d < 0 ? null : DEVICES[d];
                Entry[] entries = new Entry[params.length];
                for (Param p : params) {
                    entries[p.ordinal()] = find(p, fw, dc);
                }
                all[slot(fw, dc)] = new Row(entries, fw, dc);
            }
        }
        return all;
    }

    /** The most specific entry for the pair: exact, any device, any framework, then any of both; null if none. */
    private Entry find(Param parameter, Framework framework, DeviceClass device) {
        String f = framework == null ? "*" : framework.id();
        String d = device == null ? "*" : device.id();
        for (String key : new String[]{keyOf(parameter, f, d), keyOf(parameter, f, "*"), keyOf(parameter, "*", d),
                keyOf(parameter, "*", "*")}) {
            Entry e = entries.get(key);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** A copy with one value replaced (or added); used when fitting. */
    public Calibration with(Param parameter, String framework, String device, double value) {
        Map<String, Entry> m = new LinkedHashMap<>(entries);
        Entry old = m.get(keyOf(parameter, framework, device));
        Entry e = new Entry(parameter, framework, device, value, old == null ? "" : old.unit(),
                old == null ? "" : old.source());
        m.put(e.key(), e);
        return new Calibration(m);
    }
}
