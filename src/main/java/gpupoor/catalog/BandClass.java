package gpupoor.catalog;

import gpupoor.calc.Scenario;
import gpupoor.calc.accurate.DeviceClass;

import java.util.ArrayList;
import java.util.List;

/**
 * The class of estimates that share one error band ({@code catalog/error-bands.csv}): a metric
 * (a {@code validate} metric id such as {@code decode_tok_s}), the runtime, the device class
 * ({@link DeviceClass#id()}) and the number of devices ({@value #ONE} or {@value #SEVERAL}).
 * {@value #ANY} stands for any value: a class with few measured rows takes the band of its parent,
 * which drops the number of devices, then the device class, then the runtime. Memory classes are
 * the runtime's alone: what a runtime allocates does not depend on the kind or number of devices it
 * runs on the way its speed does, and memory is measured with and without a device.
 *
 * @param metric  the metric id
 * @param runtime the runtime's id ({@code llama.cpp}, {@code hf}, ...), or {@value #ANY}
 * @param device  the device class's id ({@code gpu-gddr}, {@code apple-gpu}, ...), or {@value #ANY}
 * @param gpus    {@value #ONE}, {@value #SEVERAL}, or {@value #ANY}
 */
public record BandClass(String metric, String runtime, String device, String gpus) {
    /** Any value of a dimension. */
    public static final String ANY = "*";
    /** One device. */
    public static final String ONE = "1";
    /** Two or more devices. */
    public static final String SEVERAL = "2+";

    /**
     * The class of a scenario's estimate of {@code metric}: for a {@code memory} metric, or without
     * a device, the runtime's alone (device and count {@value #ANY}); an Apple SoC with no layers on
     * its GPU is the {@code apple-cpu} class.
     */
    public static BandClass of(String metric, boolean memory, Scenario s) {
        BandClass c;
        if (s.device() == null) {
            c = new BandClass(metric, s.framework().id(), ANY, ANY);
        } else {
            c = new BandClass(metric, s.framework().id(), DeviceClass.of(s.device(), s.options().gpuLayersOrAll() == 0).id(),
                    s.deviceCount() == 1 ? ONE : SEVERAL);
        }
        return c.forMetric(metric, memory);
    }

    /** The class of the same runtime, device class and count for another metric ({@code memory}: the runtime's alone). */
    public BandClass forMetric(String other, boolean memory) {
        if (memory) {
            return new BandClass(other, runtime, ANY, ANY);
        }
        return other.equals(metric) ? this : new BandClass(other, runtime, device, gpus);
    }

    // equals and hashCode written out: a record's own go through invokedynamic, which C1 (the
    // kernel's compiler) does not inline, and a sweep looks a class up for every point

    @Override
    public boolean equals(Object o) {
        return o instanceof BandClass c && metric.equals(c.metric) && runtime.equals(c.runtime)
                && device.equals(c.device) && gpus.equals(c.gpus);
    }

    @Override
    public int hashCode() {
        return ((metric.hashCode() * 31 + runtime.hashCode()) * 31 + device.hashCode()) * 31 + gpus.hashCode();
    }

    /** The class this one merges into: the number of devices dropped, then the device class, then the runtime; null at the top. */
    public BandClass parent() {
        if (!gpus.equals(ANY)) {
            return new BandClass(metric, runtime, device, ANY);
        }
        if (!device.equals(ANY)) {
            return new BandClass(metric, runtime, ANY, ANY);
        }
        if (!runtime.equals(ANY)) {
            return new BandClass(metric, ANY, ANY, ANY);
        }
        return null;
    }

    /** This class and its parents, most specific first. */
    public List<BandClass> chain() {
        List<BandClass> out = new ArrayList<>();
        for (BandClass c = this; c != null; c = c.parent()) {
            out.add(c);
        }
        return out;
    }

    /** For people: {@code decode_tok_s · llama.cpp · gpu-gddr · 1 device}, {@code mem_weights · vllm}, {@code mem_weights · any runtime}. */
    public String label() {
        if (runtime.equals(ANY)) {
            return metric + " · any runtime";
        }
        if (device.equals(ANY) && gpus.equals(ANY)) {
            return metric + " · " + runtime;
        }
        String label = metric + " · " + runtime + " · " + (device.equals(ANY) ? "any device" : device);
        return gpus.equals(ANY) ? label : label + " · " + (gpus.equals(ONE) ? "1 device" : "2+ devices");
    }
}
