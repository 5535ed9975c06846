package gpupoor.calc.accurate;

import gpupoor.calc.Hardware;
import gpupoor.calc.Interconnect;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Scenario;
import gpupoor.calc.accurate.Calibration.Param;

/**
 * What one forward pass spends crossing devices, per step of {@code tokens} tokens:
 * <ul>
 *   <li>a layer split's (and a partial offload's) hops: a fixed latency per boundary ({@code hop_us})
 *       plus the hidden states ({@code 4 × hidden} bytes per token) at {@code hop_gbs};</li>
 *   <li>tensor parallelism's all-reduces, two per layer (after attention and after the MLP): a
 *       latency that grows with the devices on a PCIe ring ({@code allreduce_pcie_us × (n − 1)}) and
 *       stays flat over NVLink's switch ({@code allreduce_nvlink_us}), plus the ring's
 *       {@code 2 (n − 1) / n} of the activations ({@code 2 × hidden} bytes per token) over the link at
 *       {@code link_bw_eff} of its bandwidth ({@code hardware.csv}'s {@code pcie_gbs} / {@code nvlink_gbs});</li>
 *   <li>llama.cpp's row split: every matrix product's rows gathered on the main GPU, a synchronization
 *       per product ({@code row_split_us + row_split_gpu_us × (n − 1)}) plus its inputs and outputs
 *       (f32) crossing the link.</li>
 * </ul>
 *
 * @param hops                 device boundaries a step crosses
 * @param hopSeconds           latency per boundary
 * @param hopBytesPerToken     bytes per token crossing a boundary
 * @param hopBytesPerSecond    rate of a hop
 * @param collectives          all-reduces (or row gathers) per step
 * @param collectiveSeconds    latency of one
 * @param collectiveBytesPerToken bytes per token one moves over the link
 * @param linkBytesPerSecond   achieved link rate
 */
record Comms(int hops, double hopSeconds, double hopBytesPerToken, double hopBytesPerSecond, int collectives,
             double collectiveSeconds, double collectiveBytesPerToken, double linkBytesPerSecond) {

    /** A step that crosses no device boundary (shared, as most estimates run on one device). */
    static final Comms NONE = new Comms(0, 0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY);

    /** Seconds a step of {@code tokens} tokens spends crossing devices. */
    double seconds(double tokens) {
        double t = 0;
        if (hops > 0) {
            t += hops * (hopSeconds + tokens * hopBytesPerToken / hopBytesPerSecond);
        }
        if (collectives > 0) {
            t += collectives * (collectiveSeconds + tokens * collectiveBytesPerToken / linkBytesPerSecond);
        }
        return t;
    }

    /**
     * The crossings of an estimate's forward pass over its devices, {@code offloaded} when part of the
     * model runs from host memory (one more hop, GPU to CPU).
     */
    static Comms of(EstimateContext c, boolean offloaded, int gpuLayers) {
        Scenario s = c.s();
        Architecture a = c.a();
        int n = s.deviceCount();
        Parallelism p = c.parallelism();
        DeviceClass dc = c.dc();
        int hops = (p == Parallelism.LAYER && n > 1 ? n - 1 : 0) + (offloaded ? 1 : 0);
        if (hops == 0 && !(n > 1 && p == Parallelism.TENSOR)) {
            return NONE;
        }
        double hopSeconds = c.cal(Param.HOP_US, dc) * 1e-6;
        double hopRate = c.cal(Param.HOP_GBS, dc) * 1e9;
        int collectives = 0;
        double latency = 0;
        double bytes = 0;
        double rate = Double.POSITIVE_INFINITY;
        if (n > 1 && (p == Parallelism.TENSOR)) {
            Interconnect link = Runtime.link(s);
            Hardware d = s.device();
            double linkGBs = d == null ? 0 : d.linkGBs(link);
            rate = (linkGBs > 0 ? linkGBs : c.cal(Param.HOP_GBS, dc)) * 1e9 * c.cal(Param.LINK_BW_EFF, dc);
            if (c.runtime().rowSplit(s)) {
                int products = a.matricesPerLayer();
                collectives = products * gpuLayers;
                latency = (c.cal(Param.ROW_SPLIT_US, dc) + c.cal(Param.ROW_SPLIT_GPU_US, dc) * (n - 1)) * 1e-6;
                bytes = 4.0 * a.matrixEdgesPerLayer() / products * (n - 1) / n;
            } else {
                collectives = 2 * gpuLayers;
                latency = (link == Interconnect.NVLINK ? c.cal(Param.ALLREDUCE_NVLINK_US, dc)
                        : c.cal(Param.ALLREDUCE_PCIE_US, dc) * (n - 1)) * 1e-6;
                bytes = 2.0 * a.hidden() * 2.0 * (n - 1) / n;
            }
        }
        return new Comms(hops, hopSeconds, 4.0 * a.hidden(), hopRate, collectives, latency, bytes, rate);
    }
}
