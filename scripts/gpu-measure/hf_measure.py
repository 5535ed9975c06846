#!/usr/bin/env python3
"""Measures Hugging Face transformers on one CUDA GPU: fine-tuning peak memory and ms per
iteration under common recipes, and inference prefill/decode speed and peak memory.

Models are built from the catalog's config files with random weights (sizes, shapes and kernels are
those of the real model; the values do not change memory or speed). Each configuration is one CSV
row in OUT/hf-measure.csv, written as soon as it is measured; a configuration that runs out of
memory is a row too (status oom). Usage (on a machine with torch, transformers and peft):

    python3 scripts/gpu-measure/hf_measure.py OUTDIR [--budget-s 480] [--quick]

--quick uses two tiny configs on whatever device there is (a smoke test of the script itself).
"""
import argparse
import csv
import gc
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "catalog" / "models"

FIELDS = ["base_mib", "part", "model_id", "recipe", "dtype", "optimizer", "grad_ckpt", "lora_rank", "lora_targets",
          "offload", "batch", "seq_len", "prompt_len", "gen_len", "attn", "status", "peak_alloc_mib",
          "peak_reserved_mib", "weights_mib", "ms_per_iter", "prefill_ms", "prefill_tok_s", "decode_tok_s",
          "trainable_params", "total_params", "note"]


def load_config(model_id, tiny=False):
    from transformers import AutoConfig
    raw = json.loads((MODELS / (model_id.replace("/", "__") + ".json")).read_text())
    d = {k: v for k, v in raw.items() if not k.startswith("_") and k not in ("architectures", "torch_dtype")}
    model_type = d.pop("model_type")
    if tiny:
        d.update(hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, vocab_size=1024)
        d.pop("head_dim", None)
    return AutoConfig.for_model(model_type, **d)


def mib(x):
    return round(x / 2**20, 1)


def fresh():
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def allocated():
    return torch.cuda.memory_allocated() if torch.cuda.is_available() else 0


def peaks(base):
    """Peak allocated memory of this configuration (minus what was allocated before it started: memory an
    earlier configuration may have left behind) and the allocator's peak reservation (not corrected)."""
    if not torch.cuda.is_available():
        return "", ""
    return mib(torch.cuda.max_memory_allocated() - base), mib(torch.cuda.max_memory_reserved())


def build(cfg, dtype, device, attn="sdpa"):
    from transformers import AutoModelForCausalLM
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(cfg, dtype=dtype, attn_implementation=attn)
    return model


class Writer:
    def __init__(self, path):
        self.f = open(path, "w", newline="")
        self.w = csv.DictWriter(self.f, fieldnames=FIELDS)
        self.w.writeheader()
        self.f.flush()

    def row(self, **kw):
        r = {k: kw.get(k, "") for k in FIELDS}
        self.w.writerow(r)
        self.f.flush()
        print(json.dumps(r), flush=True)


def make_optimizer(name, params):
    if name == "adamw":
        return torch.optim.AdamW(params, lr=1e-5, fused=torch.cuda.is_available())
    if name == "sgd":
        return torch.optim.SGD(params, lr=1e-5)
    if name == "sgd-momentum":
        return torch.optim.SGD(params, lr=1e-5, momentum=0.9)
    raise ValueError(name)


def train_one(w, model_id, cfg, device, recipe, seq, batch, deadline, steps=3):
    """recipe: dict(kind=full|lora, dtype=bf16|mixed, optimizer, ckpt, rank, targets, offload, oib)."""
    from contextlib import nullcontext
    base = dict(part="train", model_id=model_id, recipe=recipe["name"], dtype=recipe["dtype"],
                optimizer=recipe["optimizer"], grad_ckpt=int(recipe.get("ckpt", False)),
                lora_rank=recipe.get("rank", ""), lora_targets=recipe.get("targets", ""),
                offload=int(recipe.get("offload", False)), batch=batch, seq_len=seq, attn="sdpa")
    if time.time() > deadline:
        w.row(**base, status="skipped", note="time budget")
        return
    fresh()
    base0 = allocated()
    base["base_mib"] = mib(base0)
    model = opt = None
    try:
        dtype = torch.float32 if recipe["dtype"] == "mixed" else torch.bfloat16
        model = build(cfg, dtype, device)
        total = sum(p.numel() for p in model.parameters())
        sync()
        weights = mib(allocated() - base0) if torch.cuda.is_available() else ""
        if recipe.get("ckpt"):
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if recipe["kind"] == "lora":
            from peft import LoraConfig, get_peft_model
            targets = ["q_proj", "v_proj"] if recipe["targets"] == "q,v" else "all-linear"
            model = get_peft_model(model, LoraConfig(r=recipe["rank"], lora_alpha=2 * recipe["rank"],
                                                     target_modules=targets, lora_dropout=0.0))
            if recipe.get("ckpt"):
                model.enable_input_require_grads()
        model.train()
        params = [p for p in model.parameters() if p.requires_grad]
        trainable = sum(p.numel() for p in params)
        hooks = []
        if recipe.get("oib"):
            opts = {p: make_optimizer(recipe["optimizer"], [p]) for p in params}

            def step_hook(p):
                opts[p].step()
                opts[p].zero_grad(set_to_none=True)
            for p in params:
                hooks.append(p.register_post_accumulate_grad_hook(step_hook))
            opt = None
        else:
            opt = make_optimizer(recipe["optimizer"], params)
        ids = torch.randint(0, cfg.vocab_size, (batch, seq), device=device)
        autocast = torch.autocast("cuda", dtype=torch.bfloat16) if recipe["dtype"] == "mixed" and torch.cuda.is_available() \
            else nullcontext()
        offload = torch.autograd.graph.save_on_cpu(pin_memory=True) if recipe.get("offload") else nullcontext()
        times = []
        for i in range(steps + 1):
            if time.time() > deadline and i > 0:
                break
            sync()
            t0 = time.perf_counter()
            with autocast, offload:
                out = model(input_ids=ids, labels=ids)
            out.loss.backward()
            if opt is not None:
                opt.step()
                opt.zero_grad(set_to_none=True)
            sync()
            if i > 0:
                times.append(time.perf_counter() - t0)
            del out
        pa, pr = peaks(base0)
        times.sort()
        ms = round(1000 * times[len(times) // 2], 1) if times else ""
        w.row(**base, status="ok", peak_alloc_mib=pa, peak_reserved_mib=pr, weights_mib=weights, ms_per_iter=ms,
              trainable_params=trainable, total_params=total)
    except torch.OutOfMemoryError:
        pa, pr = peaks(base0)
        w.row(**base, status="oom", peak_alloc_mib=pa, peak_reserved_mib=pr)
    except Exception as e:  # one configuration's failure must not end the run
        w.row(**base, status="error", note=(type(e).__name__ + ": " + str(e))[:300])
        traceback.print_exc()
    finally:
        del model, opt
        fresh()


def infer_one(w, model_id, cfg, device, prompt, gen, batch, attn, deadline):
    """Prefill and decode through generate(), as users call it: prefill = generate(1 new token);
    decode = (gen - 1) tokens over generate(gen) minus generate(1); each the best of two runs after a
    warm-up at the same size. Peak memory is that of generate(gen)."""
    base = dict(part="infer", model_id=model_id, recipe="generate", dtype="bf16", batch=batch, prompt_len=prompt,
                gen_len=gen, attn=attn)
    if time.time() > deadline:
        w.row(**base, status="skipped", note="time budget")
        return
    fresh()
    base0 = allocated()
    base["base_mib"] = mib(base0)
    model = None
    try:
        model = build(cfg, torch.bfloat16, device, attn)
        model.eval()
        sync()
        weights = mib(allocated() - base0) if torch.cuda.is_available() else ""
        ids = torch.randint(0, cfg.vocab_size, (batch, prompt), device=device)
        mask = torch.ones_like(ids)

        def run(n):
            sync()
            t0 = time.perf_counter()
            model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=n, min_new_tokens=n, do_sample=False)
            sync()
            return time.perf_counter() - t0
        with torch.inference_mode():
            run(2)  # warm-up at this size: kernels, allocator
            one = min(run(1), run(1))
            fresh()
            full = min(run(gen), run(gen))
        pa, pr = peaks(base0)
        decode = (gen - 1) / max(full - one, 1e-9)
        w.row(**base, status="ok", peak_alloc_mib=pa, peak_reserved_mib=pr, weights_mib=weights,
              prefill_ms=round(1000 * one, 1), prefill_tok_s=round(batch * prompt / one, 1),
              decode_tok_s=round(decode * batch, 2), total_params=sum(p.numel() for p in model.parameters()),
              note="prefill = generate(1 token); decode = (gen-1) tokens over generate(gen) - generate(1); batch aggregate")
    except torch.OutOfMemoryError:
        pa, pr = peaks(base0)
        w.row(**base, status="oom", peak_alloc_mib=pa, peak_reserved_mib=pr)
    except Exception as e:
        w.row(**base, status="error", note=(type(e).__name__ + ": " + str(e))[:300])
        traceback.print_exc()
    finally:
        del model
        fresh()


RECIPES = [
    dict(name="full-bf16-adamw", kind="full", dtype="bf16", optimizer="adamw"),
    dict(name="full-bf16-adamw-ckpt", kind="full", dtype="bf16", optimizer="adamw", ckpt=True),
    dict(name="full-mixed-adamw", kind="full", dtype="mixed", optimizer="adamw"),
    dict(name="full-mixed-adamw-ckpt", kind="full", dtype="mixed", optimizer="adamw", ckpt=True),
    dict(name="full-bf16-sgd", kind="full", dtype="bf16", optimizer="sgd"),
    dict(name="full-bf16-sgd-momentum", kind="full", dtype="bf16", optimizer="sgd-momentum"),
    dict(name="full-bf16-adamw-oib", kind="full", dtype="bf16", optimizer="adamw", oib=True),
    dict(name="lora-r8-qv", kind="lora", dtype="bf16", optimizer="adamw", rank=8, targets="q,v"),
    dict(name="lora-r8-qv-ckpt", kind="lora", dtype="bf16", optimizer="adamw", rank=8, targets="q,v", ckpt=True),
    dict(name="lora-r16-all", kind="lora", dtype="bf16", optimizer="adamw", rank=16, targets="all"),
    dict(name="lora-r16-all-ckpt", kind="lora", dtype="bf16", optimizer="adamw", rank=16, targets="all", ckpt=True),
    dict(name="lora-r16-all-ckpt-offload", kind="lora", dtype="bf16", optimizer="adamw", rank=16, targets="all",
         ckpt=True, offload=True),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--budget-s", type=float, default=480)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    start = time.time()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    import transformers
    import peft
    env = dict(python=platform.python_version(), torch=torch.__version__, transformers=transformers.__version__,
               peft=peft.__version__, device=torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
               total_mib=mib(torch.cuda.get_device_properties(0).total_memory) if device == "cuda" else "",
               cuda=torch.version.cuda, started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    (out / "hf-measure-env.json").write_text(json.dumps(env, indent=1))
    print(json.dumps(env), flush=True)
    w = Writer(out / "hf-measure.csv")
    train_deadline = start + a.budget_s * 0.62
    deadline = start + a.budget_s
    if a.quick:
        cfg = load_config("meta-llama/Llama-3.2-1B", tiny=True)
        for r in RECIPES:
            train_one(w, "tiny", cfg, device, r, 64, 1, deadline, steps=1)
        infer_one(w, "tiny", cfg, device, 32, 8, 1, "sdpa", deadline)
        infer_one(w, "tiny", cfg, device, 32, 8, 1, "eager", deadline)
        return
    small, big = "meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.1-8B"
    cfg_s, cfg_b = load_config(small), load_config(big)
    by = {r["name"]: r for r in RECIPES}
    # 8B first (the largest footprints), each recipe at 2048 then the other lengths
    for name, seqs in (("full-mixed-adamw-ckpt", (512,)), ("full-bf16-adamw", (2048, 512, 8192)),
                       ("full-bf16-adamw-ckpt", (2048, 8192)), ("lora-r8-qv", (2048, 512, 8192)),
                       ("lora-r8-qv-ckpt", (8192,)), ("lora-r16-all-ckpt", (2048, 8192)), ("full-bf16-sgd", (2048,)),
                       ("full-bf16-adamw-oib", (2048,)), ("lora-r16-all-ckpt-offload", (8192,))):
        for seq in seqs:
            train_one(w, big, cfg_b, device, by[name], seq, 1, train_deadline)
    train_one(w, big, cfg_b, device, by["lora-r8-qv"], 2048, 4, train_deadline)
    # 1B: every recipe at 2048/512/8192, batch 1; batch 4 at 2048 for two
    for seq in (2048, 512, 8192):
        for r in RECIPES:
            train_one(w, small, cfg_s, device, r, seq, 1, train_deadline)
    for r in (RECIPES[0], RECIPES[7]):
        train_one(w, small, cfg_s, device, r, 2048, 4, train_deadline)
    # inference: 8B batch 1 across prompt lengths, batches at 1024, eager vs sdpa; 1B overhead-bound
    for prompt in (128, 1024, 4096, 16384, 32768):
        infer_one(w, big, cfg_b, device, prompt, 64, 1, "sdpa", deadline)
    infer_one(w, big, cfg_b, device, 4096, 64, 1, "eager", deadline)
    for batch in (8, 32):
        infer_one(w, big, cfg_b, device, 1024, 64, batch, "sdpa", deadline)
    for prompt in (128, 4096):
        infer_one(w, small, cfg_s, device, prompt, 64, 1, "sdpa", deadline)
    print(f"done in {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
