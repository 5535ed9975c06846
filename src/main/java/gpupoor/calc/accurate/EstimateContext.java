package gpupoor.calc.accurate;

import gpupoor.calc.Hardware;
import gpupoor.calc.Options;
import gpupoor.calc.Parallelism;
import gpupoor.calc.Quant;
import gpupoor.calc.Scenario;
import gpupoor.calc.Workload;

/**
 * What one estimate of the default method works from, derived once: the scenario (its weights
 * normalized to what the runtime holds), the runtime's strategy, the model's facts and weight bytes
 * in the storage held, the KV cache, the fine-tuning state, the calibration and the device class.
 *
 * @param s       the scenario
 * @param runtime the runtime's strategy
 * @param facts   what the model alone decides
 * @param storage how the weights are held in memory (QLoRA's NF4, fp32 training, a GGUF F16 file …)
 * @param weights the weights' bytes in that storage
 * @param kv      the KV cache
 * @param training the fine-tuning state (null in inference)
 * @param cal     the calibration
 * @param dc      the device class (null without a device)
 */
record EstimateContext(Scenario s, Runtime runtime, ModelFacts facts, Quant storage, WeightBytes weights, KvCache kv,
                       TrainingMemory training, Calibration cal, DeviceClass dc) {

    /** The model's architecture. */
    Architecture a() {
        return facts.architecture();
    }

    /** The workload. */
    Workload w() {
        return s.workload();
    }

    /** The runtime knobs. */
    Options options() {
        return s.options();
    }

    /** The device (null for none). */
    Hardware device() {
        return s.device();
    }

    /** The device class the memory rules use: a bare memory estimate counts as a GDDR GPU. */
    DeviceClass planClass() {
        return dc == null ? DeviceClass.GPU_GDDR : dc;
    }

    /** Whether flash attention is on (the option, else the runtime's default for its release). */
    boolean flash() {
        return runtime.flash(s);
    }

    /** How several devices share the model: the option, else the runtime's default. */
    Parallelism parallelism() {
        return runtime.parallelism(s);
    }

    /** The training runtime's strategy (fine-tuning scenarios only). */
    Trainer trainer() {
        return Trainer.of(s.framework());
    }

    /** A calibrated value for this scenario's runtime and a device class. */
    double cal(Calibration.Param p, DeviceClass d) {
        return cal.get(p, runtime.calibratedAs(), d);
    }
}
