package gpupoor.calc.accurate;

import gpupoor.calc.ModelSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weights as their files store them ({@link ModelSpec#weights()}: a GGUF or safetensors header):
 * every tensor with its exact bytes, placed by its name — llama.cpp's ({@code blk.N.attn_q.weight},
 * {@code token_embd}, {@code output}, {@code ffn_gate_exps}) or transformers'
 * ({@code model.layers.N.self_attn.q_proj.weight}, {@code embed_tokens}, {@code lm_head},
 * {@code mlp.experts.E.gate_proj}) — into the block it belongs to and the part it plays (embedding,
 * head, routed expert, vision tower, the rest of a block). Packed quantized tensors (GPTQ's
 * {@code qweight}, {@code scales}, {@code qzeros}) count with their module.
 */
final class PublishedWeights extends WeightFormat {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)(?:blk|layers|h|layer|block|blocks)\\.(\\d+)\\.");
    private static final List<String> FLOATS = List.of("F32", "F16", "BF16", "F64");

    private final ModelSpec.Weights weights;

    PublishedWeights(ModelSpec.Weights weights) {
        this.weights = weights;
    }

    /** Unused for published weights: their bytes come per file tensor ({@link #sized}). */
    @Override
    double bytes(Architecture a, Tensor t) {
        throw new UnsupportedOperationException("published weights are sized per file tensor");
    }

    /**
     * The file's tensors, each block its own kind (a file lists every block's tensors); whole bytes,
     * so the order they are added in does not matter.
     */
    @Override
    Sizes sized(Architecture a) {
        List<Sized> outside = new ArrayList<>();
        List<List<Sized>> blocks = new ArrayList<>(a.layers());
        int[] kindOf = new int[a.layers()];
        for (int i = 0; i < a.layers(); i++) {
            blocks.add(new ArrayList<>());
            kindOf[i] = i;
        }
        for (ModelSpec.WeightTensor w : weights.tensors()) {
            Tensor t = place(w, a.layers());
            (t.layer() >= 0 ? blocks.get(t.layer()) : outside).add(new Sized(t, w.bytes()));
        }
        return new Sizes(outside, 0, blocks, kindOf);
    }

    @Override
    String describe() {
        Map<String, Long> byType = new LinkedHashMap<>();
        for (ModelSpec.WeightTensor w : weights.tensors()) {
            byType.merge(w.type(), w.bytes(), Long::sum);
        }
        StringBuilder sb = new StringBuilder("as published (").append(weights.description()).append("): ")
                .append(weights.tensors().size()).append(" tensors, exact bytes from the header");
        byType.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(4)
                .forEach(e -> sb.append("; ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f GiB", e.getValue() / (1024.0 * 1024 * 1024))));
        return sb.toString();
    }

    /** Whether the type holding the most bytes is a quantized one (not F32, F16, BF16). */
    @Override
    boolean quantizedKernels() {
        Map<String, Long> byType = new LinkedHashMap<>();
        for (ModelSpec.WeightTensor w : weights.tensors()) {
            byType.merge(w.type().toUpperCase(Locale.ROOT), w.bytes(), Long::sum);
        }
        return byType.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> !FLOATS.contains(e.getKey()))
                .orElse(false);
    }

    /**
     * The part a file tensor plays, as a {@link Tensor}: its role from its name, its block from
     * {@code blk.N.}/{@code layers.N.} (-1 outside the blocks, or when N is not below {@code layers}),
     * and its rows and columns from its shape (a 3-D expert tensor's first dimension is its copies).
     */
    static Tensor place(ModelSpec.WeightTensor w, int layers) {
        String n = w.name().toLowerCase(Locale.ROOT);
        Matcher m = LAYER.matcher(n);
        int layer = -1;
        if (m.find()) {
            long i = Long.parseLong(m.group(1).length() > 9 ? "999999999" : m.group(1));
            layer = i < layers ? (int) i : -1;
        }
        List<Long> shape = w.shape();
        long cols = shape.isEmpty() ? 1 : shape.get(shape.size() - 1);
        int copies = 1;
        long rows = 1;
        for (int i = 0; i < shape.size() - 1; i++) {
            rows *= shape.get(i);
        }
        Tensor.Role role = role(n, w.vision(), shape.size());
        if (role.routedExpert() && shape.size() == 3) {
            copies = (int) Math.min(Integer.MAX_VALUE, shape.get(0));
            rows = shape.get(1);
        }
        return new Tensor(role, role == Tensor.Role.VISION || role.embeddingOrHead() ? -1 : layer, rows, cols, copies);
    }

    private static Tensor.Role role(String n, boolean vision, int dims) {
        if (vision) {
            return Tensor.Role.VISION;
        }
        if (dims < 2 || n.contains("norm") || n.endsWith(".bias") || n.contains("conv1d") || n.contains("a_log")
                || n.endsWith(".d") || n.contains("sinks") || n.contains("dt_bias")) {
            return Tensor.Role.VECTOR;
        }
        if (n.contains("embed_tokens") || n.startsWith("token_embd") || n.contains(".wte.") || n.contains("word_embeddings")
                || n.contains("embed_in")) {
            return Tensor.Role.TOKEN_EMBD;
        }
        if (n.startsWith("lm_head") || n.equals("output.weight") || n.contains("embed_out")) {
            return Tensor.Role.OUTPUT;
        }
        if (n.contains(".wpe.") || n.contains("position_embeddings") || n.startsWith("position_embd")) {
            return Tensor.Role.POS_EMBD;
        }
        if (n.contains("ffn_gate_inp") || n.contains("mlp.gate.") || n.contains(".router.") || n.contains("moe.gate.")) {
            return Tensor.Role.ROUTER;
        }
        boolean shared = n.contains("shexp") || n.contains("shared_expert");
        boolean routed = !shared && (n.contains("_exps") || n.contains(".experts."));
        if (routed || shared) {
            boolean gate = n.contains("gate") || n.contains(".w1.");
            boolean down = n.contains("down") || n.contains(".w2.");
            if (routed) {
                return down ? Tensor.Role.FFN_DOWN_EXPS : gate ? Tensor.Role.FFN_GATE_EXPS : Tensor.Role.FFN_UP_EXPS;
            }
            return down ? Tensor.Role.FFN_DOWN_SHEXP : gate ? Tensor.Role.FFN_GATE_SHEXP : Tensor.Role.FFN_UP_SHEXP;
        }
        if (n.contains("ssm_in") || n.contains("in_proj_qkvz") || n.contains("mamba.in_proj") || n.contains("mixer.in_proj")) {
            return Tensor.Role.SSM_IN;
        }
        if (n.contains("ssm_x") || n.contains("ssm_dt") || n.contains("x_proj") || n.contains("dt_proj") || n.contains("in_proj_ba")
                || n.contains("ssm_ba")) {
            return Tensor.Role.SSM_X;
        }
        if (n.contains("ssm_out") || n.contains("mamba.out_proj") || n.contains("mixer.out_proj") || n.contains("linear_attn.out_proj")) {
            return Tensor.Role.SSM_OUT;
        }
        if (n.contains("attn_qkv") || n.contains("qkv_proj") || n.contains("query_key_value") || n.contains("c_attn")) {
            return Tensor.Role.ATTN_QKV;
        }
        if (n.contains("attn_q.") || n.contains("q_proj")) {
            return Tensor.Role.ATTN_Q;
        }
        if (n.contains("attn_k.") || n.contains("k_proj")) {
            return Tensor.Role.ATTN_K;
        }
        if (n.contains("attn_v.") || n.contains("v_proj")) {
            return Tensor.Role.ATTN_V;
        }
        if (n.contains("attn_output") || n.contains("o_proj") || n.contains("attention.dense") || n.contains("attn.c_proj")) {
            return Tensor.Role.ATTN_OUTPUT;
        }
        if (n.contains("ffn_gate") || n.contains("gate_proj")) {
            return Tensor.Role.FFN_GATE;
        }
        if (n.contains("ffn_down") || n.contains("down_proj") || n.contains("fc2") || n.contains("dense_4h_to_h")
                || n.contains("mlp.c_proj")) {
            return Tensor.Role.FFN_DOWN;
        }
        return Tensor.Role.FFN_UP;
    }
}
