package gpupoor.calc.accurate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The vision encoder of a multimodal model and its projector into the text model, estimated from
 * {@code vision_config} (the weights' own headers give the exact tensors when they are read): a
 * ViT of {@code num_hidden_layers} (or {@code depth}) blocks of width {@code hidden_size} (or
 * {@code embed_dim}), each with a q/k/v/o attention and an MLP of {@code intermediate_size}, a
 * patch embedding and position embeddings, per {@code model_type}:
 * <ul>
 *   <li>{@code siglip_vision_model} (Gemma 3): biases, LayerNorm, plain GELU MLP; projector one
 *       matrix into the text width;</li>
 *   <li>{@code pixtral} (Mistral 3): no biases, RMSNorm, gated MLP; projector a 2×2 patch merger and
 *       a two-layer MLP;</li>
 *   <li>{@code llama4_vision_model}: biases, LayerNorm, plain MLP, a pixel-shuffle MLP adapter and a
 *       linear projector;</li>
 *   <li>anything else (CLIP, Qwen-VL …): biases, LayerNorm, plain MLP, a LLaVA-style two-layer
 *       projector.</li>
 * </ul>
 * Its tensors are {@link Tensor.Role#VISION}: counted in the weights, kept in 16 bits by the
 * quantizers (llama.cpp keeps them in a separate F16 {@code mmproj} file), and not read per token.
 */
final class VisionTower {
    private VisionTower() {
    }

    /** The tower's tensors, or none when {@code vision} is null or gives no width and depth. */
    static List<Tensor> tensors(Map<?, ?> vision, int textHidden) {
        if (vision == null) {
            return List.of();
        }
        long h = (long) num(vision, 0, "hidden_size", "embed_dim", "width");
        long layers = (long) num(vision, 0, "num_hidden_layers", "depth", "num_layers");
        if (h <= 0 || layers <= 0) {
            return List.of();
        }
        String type = vision.get("model_type") instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
        long inter = (long) num(vision, num(vision, 4, "mlp_ratio") * h, "intermediate_size");
        long channels = (long) num(vision, 3, "num_channels", "in_channels", "in_chans");
        long patch = (long) num(vision, 14, "patch_size");
        long image = (long) num(vision, 0, "image_size");
        long patches = image > 0 ? (image / patch) * (image / patch) : 0;
        boolean pixtral = type.startsWith("pixtral");
        boolean llama4 = type.startsWith("llama4");
        boolean gated = pixtral || type.contains("qwen2_5");
        boolean biases = !pixtral;
        long norm = biases ? 2 * h : h;
        long perBlock = 4 * h * h + (biases ? 4 * h : 0) + (gated ? 3 : 2) * h * inter + (biases ? inter + h : 0) + 2 * norm;
        long embeddings = channels * patch * patch * h + (biases && !llama4 ? h : 0);
        if (!pixtral) {
            embeddings += (patches + (llama4 || type.startsWith("clip") ? 1 : 0)) * h;
        }
        long projector;
        if (type.startsWith("siglip")) {
            projector = h * textHidden + h;
        } else if (pixtral) {
            long merge = (long) num(vision, 2, "spatial_merge_size");
            projector = h + merge * merge * h * h + (long) h * textHidden + (long) textHidden * textHidden;
        } else if (llama4) {
            long in = (long) num(vision, inter, "intermediate_size");
            long pin = (long) num(vision, 4096, "projector_input_dim");
            long pout = (long) num(vision, pin, "projector_output_dim");
            long out = (long) num(vision, pout, "vision_output_dim");
            projector = in * pin + pout * pout + out * textHidden + 4 * h + h;
        } else {
            long out = (long) num(vision, h, "out_hidden_size", "projection_dim");
            projector = out * textHidden + textHidden + (long) textHidden * textHidden + textHidden;
        }
        return List.of(Tensor.global(Tensor.Role.VISION, layers, perBlock),
                Tensor.global(Tensor.Role.VISION, 1, embeddings + norm + projector));
    }

    private static double num(Map<?, ?> m, double fallback, String... keys) {
        for (String k : keys) {
            if (m.get(k) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return fallback;
    }
}
