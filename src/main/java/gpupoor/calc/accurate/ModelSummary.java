package gpupoor.calc.accurate;

import gpupoor.calc.KvCacheType;
import gpupoor.calc.ModelSpec;
import gpupoor.calc.Quant;

/**
 * A model's size as the default method reads it, for listings: its parameters, the blocks that
 * attend, and the KV cache one token adds (16-bit, MLA models' compressed latent as vLLM and
 * llama.cpp cache it, before any sliding window is full).
 *
 * @param architecture      the config's {@code model_type} (empty for a size-only model)
 * @param params            every parameter (the vision tower's included)
 * @param activeParams      parameters a generated token multiplies by (embedding look-ups and unselected experts aside)
 * @param layers            blocks
 * @param attentionLayers   blocks with a KV cache (the others hold a fixed recurrent state)
 * @param kvBytesPerToken   f16 KV-cache bytes per token
 * @param visionParams      parameters of the vision tower and projector (0 for a text model)
 */
public record ModelSummary(String architecture, long params, double activeParams, int layers, int attentionLayers,
                           double kvBytesPerToken, long visionParams) {

    /**
     * The summary of a model.
     *
     * @throws gpupoor.calc.InvalidScenarioException when its config lacks what the default method needs
     */
    public static ModelSummary of(ModelSpec model) {
        Architecture a = ModelFacts.of(model).architecture();
        KvCache kv = KvCache.of(a, KvCacheType.F16, true, true, 2);
        Object type = model.config().get("model_type");
        return new ModelSummary(type instanceof String s ? s : "", a.totalParams(), a.activeParams(), a.layers(),
                a.attentionLayers(), kv.bytesPerToken(), a.visionParams());
    }
}
