"""Makes the files notebook 05 reads, so that it runs without network access.

  Qwen3-0.6B-Q4_K_M.gguf   the header of a GGUF file (metadata and tensor infos, no tensor data) written
                           with llama.cpp's own Python package gguf: Qwen3-0.6B's shapes (catalog config),
                           each tensor typed as llama.cpp's Q4_K_M mix types it (Q6_K for the tied embedding
                           and for attn_v/ffn_down in the first and last eighth of the layers and every third
                           between, Q4_K for the other matrices, F32 norms).
  gemma-3-4b-it/config.json   google/gemma-3-4b-it's config.json (a multimodal config: text_config and
                           vision_config), as the catalog holds it with its sources.
  hub-cache/               gpu_poor's own Hub cache ($GPUPOOR_CACHE layout: refs, info, snapshots,
                           headers) holding Qwen/Qwen3-0.6B at a made-up commit 000...0: its config.json
                           and the header of its model.safetensors (BF16 tensors in transformers' names,
                           tied embeddings), so that model("Qwen/Qwen3-0.6B@main") reads it offline.

Run with a Python that has the gguf package (the project's .venv: scripts/lab-venv.sh):
  .venv/bin/python notebooks/data/make-notebook-data.py
"""
import json
import struct
from pathlib import Path

import gguf

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
COMMIT = "0" * 40


def qwen3_config():
    cfg = json.loads((ROOT / "catalog/models/Qwen__Qwen3-0.6B.json").read_text())
    return {k: v for k, v in cfg.items() if not k.startswith("_")}


def use_more_bits(i, n):
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def write_gguf(cfg, path):
    h, layers, inter = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["intermediate_size"]
    heads, kv, hd, vocab = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"], cfg["vocab_size"]
    w = gguf.GGUFWriter(str(path), "qwen3")
    w.add_name("Qwen3 0.6B (header made for gpu_poor's notebook 05)")
    w.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_K_M)
    w.add_block_count(layers)
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(h)
    w.add_feed_forward_length(inter)
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_key_length(hd)
    w.add_value_length(hd)
    w.add_rope_freq_base(float(cfg["rope_theta"]))
    w.add_layer_norm_rms_eps(1e-6)
    w.add_vocab_size(vocab)
    T = gguf.GGMLQuantizationType

    def tensor(name, shape, qtype):
        block, size = gguf.GGML_QUANT_SIZES[qtype]
        n = 1
        for d in shape:
            n *= d
        # shape outermost first, as numpy writes it; GGUF stores it reversed
        w.add_tensor_info(name, shape, gguf.GGMLQuantizationType.F32 if qtype == T.F32 else qtype, n // block * size,
                          raw_dtype=qtype)

    tensor("token_embd.weight", (vocab, h), T.Q6_K)
    tensor("output_norm.weight", (h,), T.F32)
    for i in range(layers):
        p = f"blk.{i}."
        more = T.Q6_K if use_more_bits(i, layers) else T.Q4_K
        tensor(p + "attn_q.weight", (heads * hd, h), T.Q4_K)
        tensor(p + "attn_k.weight", (kv * hd, h), T.Q4_K)
        tensor(p + "attn_v.weight", (kv * hd, h), more)
        tensor(p + "attn_output.weight", (h, heads * hd), T.Q4_K)
        tensor(p + "attn_q_norm.weight", (hd,), T.F32)
        tensor(p + "attn_k_norm.weight", (hd,), T.F32)
        tensor(p + "ffn_gate.weight", (inter, h), T.Q4_K)
        tensor(p + "ffn_up.weight", (inter, h), T.Q4_K)
        tensor(p + "ffn_down.weight", (h, inter), more)
        tensor(p + "attn_norm.weight", (h,), T.F32)
        tensor(p + "ffn_norm.weight", (h,), T.F32)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    w.close()


def safetensors_header(cfg):
    h, layers, inter = cfg["hidden_size"], cfg["num_hidden_layers"], cfg["intermediate_size"]
    heads, kv, hd, vocab = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"], cfg["vocab_size"]
    header = {"__metadata__": {"format": "pt"}}
    offset = 0

    def add(name, shape):
        nonlocal offset
        n = 1
        for d in shape:
            n *= d
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + 2 * n]}
        offset += 2 * n

    add("model.embed_tokens.weight", (vocab, h))
    for i in range(layers):
        p = f"model.layers.{i}."
        add(p + "self_attn.q_proj.weight", (heads * hd, h))
        add(p + "self_attn.k_proj.weight", (kv * hd, h))
        add(p + "self_attn.v_proj.weight", (kv * hd, h))
        add(p + "self_attn.o_proj.weight", (h, heads * hd))
        add(p + "self_attn.q_norm.weight", (hd,))
        add(p + "self_attn.k_norm.weight", (hd,))
        add(p + "mlp.gate_proj.weight", (inter, h))
        add(p + "mlp.up_proj.weight", (inter, h))
        add(p + "mlp.down_proj.weight", (h, inter))
        add(p + "input_layernorm.weight", (h,))
        add(p + "post_attention_layernorm.weight", (h,))
    add("model.norm.weight", (h,))
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def write_hub_cache(cfg, root):
    repo = root / "hub" / "models--Qwen--Qwen3-0.6B"
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(COMMIT)
    (repo / "info").mkdir(exist_ok=True)
    siblings = [{"rfilename": f} for f in (".gitattributes", "LICENSE", "README.md", "config.json",
                                           "generation_config.json", "merges.txt", "model.safetensors",
                                           "tokenizer.json", "tokenizer_config.json", "vocab.json")]
    (repo / "info" / f"{COMMIT}.json").write_text(json.dumps({"id": "Qwen/Qwen3-0.6B", "sha": COMMIT, "siblings": siblings}))
    snap = repo / "snapshots" / COMMIT
    snap.mkdir(parents=True, exist_ok=True)
    (snap / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    (snap / "generation_config.json").write_text(json.dumps({"bos_token_id": 151643, "eos_token_id": [151645, 151643],
                                                             "temperature": 0.6, "top_k": 20, "top_p": 0.95}) + "\n")
    headers = repo / "headers" / COMMIT
    headers.mkdir(parents=True, exist_ok=True)
    (headers / "model.safetensors").write_bytes(safetensors_header(cfg))


def main():
    cfg = qwen3_config()
    write_gguf(cfg, HERE / "Qwen3-0.6B-Q4_K_M.gguf")
    write_hub_cache(cfg, HERE / "hub-cache")
    gemma = json.loads((ROOT / "catalog/models/google__gemma-3-4b-it.json").read_text())
    (HERE / "gemma-3-4b-it").mkdir(exist_ok=True)
    (HERE / "gemma-3-4b-it" / "config.json").write_text(json.dumps(gemma, indent=2) + "\n")


if __name__ == "__main__":
    main()
