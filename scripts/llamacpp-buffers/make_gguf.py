#!/usr/bin/env python3
"""Write a zero-filled GGUF with a real model's exact tensor shapes, types and metadata.

The file is *sparse*: header, metadata and tensor infos are written normally, the tensor data
region is a hole (all zeros when read), so a 16 GB F16 model takes a few MB of disk. llama.cpp
loads it like any other GGUF: buffer sizes, repacking, KV cache and compute graphs depend only on
shapes and types, never on the weight values.

Per-tensor types follow llama.cpp's quantizer (`llama_tensor_get_type` in src/llama-quant.cpp of
the llama.cpp bundled with node-llama-cpp) for a file quantized from an F16 conversion
(convert_hf_to_gguf.py: 1-D tensors, norms, biases and ffn_gate_inp stay F32). See
catalog/llamacpp-buffers.md, "Weight types", and `check_types.py`, which compares this
reproduction with llama.cpp's own quantizer in dry-run mode.

Usage: make_gguf.py MODEL_ID WEIGHT_TYPE OUT.gguf [--catalog DIR]
       make_gguf.py MODEL_ID WEIGHT_TYPE --list      (print the tensor table and the bytes an
                                                      AVX2/AVX-512 CPU repacks; write nothing)
WEIGHT_TYPE: F16 Q8_0 Q4_0 Q4_K_M Q5_K_M Q6_K IQ4_NL IQ4_XS MXFP4_MOE
"""
import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

HERE = Path(__file__).resolve().parent
DEFAULT_CATALOG = HERE.parent.parent / "catalog" / "models"

# llama_ftype values (include/llama.h) and each one's default tensor type (llama_ftype_get_default_type)
FTYPES = {
    "F16": (1, T.F16), "Q4_0": (2, T.Q4_0), "Q8_0": (7, T.Q8_0), "Q4_K_M": (15, T.Q4_K),
    "Q5_K_M": (17, T.Q5_K), "Q6_K": (18, T.Q6_K), "IQ4_NL": (25, T.IQ4_NL), "IQ4_XS": (30, T.IQ4_XS),
    "MXFP4_MOE": (38, T.MXFP4),
}

# model_type (HF) -> llama.cpp architecture name
ARCHS = {"llama": "llama", "qwen2": "qwen2", "qwen3": "qwen3", "qwen3_moe": "qwen3moe",
         "gemma2": "gemma2", "gemma3_text": "gemma3", "gpt_oss": "gpt-oss"}


def load_config(model_id, catalog):
    path = Path(catalog) / (model_id.replace("/", "__") + ".json")
    if not path.exists():
        sys.exit(f"no catalog entry {path}")
    return json.loads(path.read_text())


class Shape:
    """Model dimensions as llama.cpp names them."""

    def __init__(self, c):
        self.arch = ARCHS.get(c["model_type"])
        if self.arch is None:
            sys.exit(f"model_type {c['model_type']} not supported; supported: {sorted(ARCHS)}")
        self.n_vocab = c["vocab_size"]
        self.n_embd = c["hidden_size"]
        self.n_layer = c["num_hidden_layers"]
        self.n_head = c["num_attention_heads"]
        self.n_head_kv = c.get("num_key_value_heads", self.n_head)
        self.head_dim = c.get("head_dim") or self.n_embd // self.n_head
        self.n_ff = c["intermediate_size"]
        self.n_ctx_train = c.get("max_position_embeddings", 4096)
        self.n_expert = c.get("num_experts") or c.get("num_local_experts") or 0
        self.n_expert_used = c.get("num_experts_per_tok", 0) if self.n_expert else 0
        self.n_ff_exp = c.get("moe_intermediate_size") or (self.n_ff if self.n_expert else 0)
        self.tied = c.get("tie_word_embeddings", self.arch in ("gemma2", "gemma3"))
        self.swa = c.get("sliding_window")
        self.cfg = c


def tensors(s):
    """(name, ggml ne list, source kind). kind: 'w' quantizable weight, 'f32' kept F32."""
    out = []
    add = lambda name, ne, kind="w": out.append((name, list(ne), kind))
    E, V, H, HK, D = s.n_embd, s.n_vocab, s.n_head, s.n_head_kv, s.head_dim
    # order as convert_hf_to_gguf.py writes it: generated tensors, embeddings, blocks, output
    if s.arch == "llama" and (s.cfg.get("rope_scaling") or {}).get("rope_type") == "llama3":
        add("rope_freqs.weight", [D // 2], "f32")
    add("token_embd.weight", [E, V])
    for i in range(s.n_layer):
        b = f"blk.{i}."
        add(b + "attn_norm.weight", [E], "f32")
        add(b + "attn_q.weight", [E, H * D])
        add(b + "attn_k.weight", [E, HK * D])
        add(b + "attn_v.weight", [E, HK * D])
        if s.arch in ("qwen2", "gpt-oss"):
            add(b + "attn_q.bias", [H * D], "f32")
            add(b + "attn_k.bias", [HK * D], "f32")
            add(b + "attn_v.bias", [HK * D], "f32")
        add(b + "attn_output.weight", [H * D, E])
        if s.arch in ("qwen3", "qwen3moe", "gemma3"):
            add(b + "attn_q_norm.weight", [D], "f32")
            add(b + "attn_k_norm.weight", [D], "f32")
        if s.arch in ("gemma2", "gemma3", "gpt-oss"):
            add(b + "post_attention_norm.weight", [E], "f32")
        if s.arch == "gpt-oss":
            add(b + "attn_output.bias", [E], "f32")
            add(b + "attn_sinks.weight", [H], "f32")
        else:
            add(b + "ffn_norm.weight", [E], "f32")
        if s.n_expert:
            X, F = s.n_expert, s.n_ff_exp
            add(b + "ffn_gate_inp.weight", [E, X], "f32")
            add(b + "ffn_gate_exps.weight", [E, F, X])
            add(b + "ffn_down_exps.weight", [F, E, X])
            add(b + "ffn_up_exps.weight", [E, F, X])
            if s.arch == "gpt-oss":
                add(b + "ffn_gate_inp.bias", [X], "f32")
                add(b + "ffn_gate_exps.bias", [F, X], "f32")
                add(b + "ffn_down_exps.bias", [E, X], "f32")
                add(b + "ffn_up_exps.bias", [F, X], "f32")
        else:
            add(b + "ffn_gate.weight", [E, s.n_ff])
            add(b + "ffn_down.weight", [s.n_ff, E])
            add(b + "ffn_up.weight", [E, s.n_ff])
        if s.arch in ("gemma2", "gemma3"):
            add(b + "post_ffw_norm.weight", [E], "f32")
    add("output_norm.weight", [E], "f32")
    if not s.tied:
        add("output.weight", [E, V])
    return out


def layer_of(name):
    return int(name.split(".")[1]) if name.startswith("blk.") else -1


def use_more_bits(i, n):
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def fallback(t, ne0):
    """tensor_type_fallback: a row length the block size does not divide."""
    bs = gguf.GGML_QUANT_SIZES[t][0]
    if ne0 % bs == 0:
        return t
    r = {T.IQ4_XS: T.IQ4_NL, T.Q4_K: T.Q5_0, T.Q5_K: T.Q5_1, T.Q6_K: T.Q8_0}.get(t, t)
    return r if ne0 % gguf.GGML_QUANT_SIZES[r][0] == 0 else T.F16


def tensor_type(s, ftype, name, ne, kind):
    """Reproduces llama_tensor_get_type / llama_tensor_get_type_impl for the ftypes in FTYPES,
    for architectures other than Falcon, with no imatrix, no overrides, n_expert != 8 and
    llm_type != 70B (none of the models measured here hits those branches)."""
    if kind == "f32":
        return T.F32
    src = T.F16
    if ftype == "MXFP4_MOE" and "_exps." in name:
        src = T.MXFP4  # convert_hf_to_gguf keeps gpt-oss experts in their native MXFP4
    default = FTYPES[ftype][1]
    # tensor_allows_quantization: 2-D+ tensors ending in "weight", not norms, not ffn_gate_inp
    if len(ne) < 2 or not name.endswith("weight") or "_norm.weight" in name or "ffn_gate_inp.weight" in name:
        return src
    if default == T.F16:
        return src
    t = default
    nx = ne[0]
    is_out = name == "output.weight" or (s.tied and name == "token_embd.weight")
    n_gqa = s.n_head // s.n_head_kv
    i, n = layer_of(name), s.n_layer
    if is_out:
        bs = gguf.GGML_QUANT_SIZES[t][0]
        if ftype == "MXFP4_MOE" or nx % bs != 0:
            t = T.Q8_0
        elif t != T.Q8_0:
            t = T.Q6_K
    elif ftype == "MXFP4_MOE":
        t = T.MXFP4 if len(ne) == 3 and ne[2] > 1 else T.Q8_0
    elif name == "token_embd.weight":
        pass
    elif name.endswith("attn_v.weight"):
        if ftype in ("IQ4_NL", "IQ4_XS") and n_gqa >= 4:
            t = T.Q5_K
        elif ftype in ("Q4_K_M", "Q5_K_M") and use_more_bits(i, n):
            t = T.Q6_K
    elif "ffn_down" in name:
        if ftype == "Q4_K_M":
            if use_more_bits(i, n):
                t = T.Q6_K
        elif i < n // 8 and ftype in ("IQ4_NL", "IQ4_XS"):
            t = T.Q5_K
        elif ftype == "Q5_K_M" and use_more_bits(i, n):
            t = T.Q6_K
    return fallback(t, nx)


def nbytes(t, ne):
    bs, ts = gguf.GGML_QUANT_SIZES[t]
    n = int(np.prod(ne))
    assert ne[0] % bs == 0, (t, ne)
    return n // bs * ts


# ggml-cpu's repack.cpp (ggml_repack_get_optimal_repack_type) on x86 with AVX2 or AVX-512:
# these types get an interleaved copy in a CPU_REPACK buffer when the row count ne[1] is a
# multiple of 8 and the tensor feeds a matrix multiplication (token_embd only feeds GET_ROWS).
# Q2_K also repacks with AVX-512; no model here uses it. Q5_K, Q6_K, Q8_0, IQ4_XS do not.
REPACK_X86 = {T.Q4_0, T.Q4_K, T.IQ4_NL, T.MXFP4}


def repack_bytes(tab):
    """Bytes llama.cpp copies into CPU_REPACK on an AVX2/AVX-512 CPU (checked against real loads)."""
    return sum(nbytes(t, ne) for name, ne, t in tab
               if t in REPACK_X86 and ne[1] % 8 == 0 and name != "token_embd.weight")


def table(model_id, ftype, catalog=DEFAULT_CATALOG):
    s = Shape(load_config(model_id, catalog))
    return s, [(name, ne, tensor_type(s, ftype, name, ne, kind)) for name, ne, kind in tensors(s)]


def add_metadata(w, s, model_id, ftype):
    a, c = s.arch, s.cfg
    w.add_name(model_id.split("/")[-1] + "-zeros")
    w.add_file_type(FTYPES[ftype][0])
    w.add_quantization_version(2)
    w.add_context_length(s.n_ctx_train)
    w.add_embedding_length(s.n_embd)
    w.add_block_count(s.n_layer)
    w.add_feed_forward_length(s.n_ff)
    w.add_head_count(s.n_head)
    w.add_head_count_kv(s.n_head_kv)
    w.add_key_length(s.head_dim)
    w.add_value_length(s.head_dim)
    w.add_rope_dimension_count(s.head_dim)
    w.add_rope_freq_base(float(c.get("rope_theta", 10000.0)))
    w.add_layer_norm_rms_eps(1e-5 if a in ("llama", "gpt-oss") else 1e-6)
    w.add_vocab_size(s.n_vocab)
    rs = c.get("rope_scaling") or {}
    if rs.get("rope_type") == "yarn":
        w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
        w.add_rope_scaling_factor(float(rs["factor"]))
        w.add_rope_scaling_orig_ctx_len(int(rs["original_max_position_embeddings"]))
    if s.n_expert:
        w.add_expert_count(s.n_expert)
        w.add_expert_used_count(s.n_expert_used)
        w.add_expert_feed_forward_length(s.n_ff_exp)
    if a == "gemma2":
        w.add_sliding_window(s.swa)
        w.add_attn_logit_softcapping(50.0)
        w.add_final_logit_softcapping(30.0)
    if a == "gemma3":
        w.add_sliding_window(s.swa)
        w.add_uint32(f"{a}.attention.sliding_window_pattern", c.get("sliding_window_pattern", 6))
    if a == "gpt-oss":
        w.add_sliding_window(s.swa)
    # Tokenizer: a byte-level BPE vocabulary of the model's real size (it sizes token_embd,
    # output and the logits buffers): the 256 GPT-2 byte tokens, then placeholders.
    byte_chars = bytes_to_unicode()
    toks = [byte_chars[b] for b in range(256)] + [f"<|t{i}|>" for i in range(256, s.n_vocab)]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(toks)
    w.add_token_types([1] * 256 + [1] * (s.n_vocab - 256))
    w.add_token_merges(["\u0120 \u0120"])
    w.add_bos_token_id(s.n_vocab - 2)
    w.add_eos_token_id(s.n_vocab - 1)


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def write(model_id, ftype, out, catalog=DEFAULT_CATALOG):
    s, tab = table(model_id, ftype, catalog)
    w = gguf.GGUFWriter(str(out), s.arch)
    add_metadata(w, s, model_id, ftype)
    total = 0
    for name, ne, t in tab:
        nb = nbytes(t, ne)
        w.add_tensor_info(name, list(reversed(ne)), np.dtype(np.float32), nb, raw_dtype=t)
        total += gguf.GGUFWriter.ggml_pad(nb, w.data_alignment)
    w.write_header_to_file(Path(out))
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    f = w.fout[0]
    start = gguf.GGUFWriter.ggml_pad(f.tell(), w.data_alignment)
    f.flush()
    f.truncate(start + total)  # the data region stays a hole: reads as zeros, uses no disk
    w.close()
    return start + total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_id")
    ap.add_argument("weight_type", choices=sorted(FTYPES))
    ap.add_argument("out", nargs="?")
    ap.add_argument("--catalog", default=str(DEFAULT_CATALOG))
    ap.add_argument("--list", action="store_true", help="print name, ne, type, bytes per tensor")
    a = ap.parse_args()
    if a.list:
        _, tab = table(a.model_id, a.weight_type, a.catalog)
        for name, ne, t in tab:
            print(f"{name}\t{ne}\t{t.name}\t{nbytes(t, ne)}")
        total = sum(nbytes(t, ne) for _, ne, t in tab)
        print(f"# tensor data {total / 2**20:.2f} MiB; CPU_REPACK on AVX2/AVX-512 {repack_bytes(tab) / 2**20:.2f} MiB")
        return
    if not a.out:
        ap.error("OUT.gguf is required unless --list")
    size = write(a.model_id, a.weight_type, a.out, a.catalog)
    print(f"{a.out}\t{size}")


if __name__ == "__main__":
    main()
