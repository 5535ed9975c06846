package gpupoor.dsl;

import gpupoor.calc.MemoryBreakdown;

import java.awt.Color;

/** The parts of a memory breakdown, bottom to top as charts stack them. */
enum Component {
    /** Model weights. */
    WEIGHTS("weights", new Color(0x4C72B0)),
    /** KV cache. */
    KV_CACHE("KV cache", new Color(0xDD8452)),
    /** Activations and compute buffers. */
    ACTIVATIONS("activations", new Color(0x55A868)),
    /** Gradients and optimizer states. */
    GRAD_OPTIMIZER("gradients + optimizer", new Color(0x8172B3)),
    /** CUDA context and framework overhead. */
    OVERHEAD("overhead", new Color(0x937860));

    private final String label;
    private final Color color;

    Component(String label, Color color) {
        this.label = label;
        this.color = color;
    }

    /** How tables and legends name it. */
    String label() {
        return label;
    }

    /** Its colour in charts. */
    Color color() {
        return color;
    }

    /** Its size in MiB. */
    double mib(MemoryBreakdown m) {
        return switch (this) {
            case WEIGHTS -> m.weightsMiB();
            case KV_CACHE -> m.kvCacheMiB();
            case ACTIVATIONS -> m.activationMiB();
            case GRAD_OPTIMIZER -> m.gradOptimizerMiB();
            case OVERHEAD -> m.overheadMiB();
        };
    }
}
