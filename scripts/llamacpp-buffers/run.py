#!/usr/bin/env python3
"""Runs the measurement plan: writes each zero-filled GGUF (make_gguf.py), runs measure.mjs on it
(one node process per group of configurations), deletes the GGUF, and writes
catalog/llamacpp-buffers.csv. See catalog/llamacpp-buffers.md for the design.

Usage: run.py [--only PLAN_NAME ...] [--raw raw.jsonl] [--csv OUT.csv] [--workdir DIR]
The raw JSON lines are appended to --raw (default /tmp/llamacpp-buffers-raw.jsonl); a rerun
skips the (model, weight, mode, config) keys already in it, so an interrupted run resumes.
"""
import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import make_gguf  # noqa: E402

CTXS = [512, 2048, 4096, 8192, 16384, 32768]
UBS = [128, 512, 2048]
# KV cache variants: (flash attention, type_k, type_v)
KV_FULL = [(False, "F16", "F16"), (True, "F16", "F16"), (True, "Q8_0", "Q8_0"), (True, "Q4_0", "Q4_0")]
THREADS = 2


def cfg(ctx, ub, fa, tk="F16", tv="F16"):
    return {"ctx": ctx, "ubatch": ub, "fa": fa, "typeK": tk, "typeV": tv}


def full_grid():
    return [cfg(c, u, fa, tk, tv) for c in CTXS for u in UBS for fa, tk, tv in KV_FULL]


def one_factor(kv_types=True):
    """ctx sweep at ubatch 512 (FA on and off), ubatch sweep at 4096, KV types at 4096 and 32768."""
    out = [cfg(c, 512, fa) for c in CTXS for fa in (False, True)]
    out += [cfg(4096, u, fa) for u in (128, 2048) for fa in (False, True)]
    if kv_types:
        out += [cfg(c, 512, True, t, t) for c in (4096, 32768) for t in ("Q8_0", "Q4_0")]
    return out


def weight_probe():
    return [cfg(4096, 512, False), cfg(4096, 512, True)]


def extras():
    """Edge cases: n_ctx padding, flash attention 'auto', quantized V without FA, K-only quantized."""
    return [cfg(5000, 512, True), cfg(1000, 512, False), cfg(4096, 512, "auto"),
            cfg(4096, 512, False, "Q8_0", "Q8_0"), cfg(4096, 512, False, "Q8_0", "F16")]


# (name, model id, weight type, mode, configs, configs per process)
PLAN = [
    ("l1b-grid", "meta-llama/Llama-3.2-1B", "Q4_K_M", "real", full_grid(), 24),
    ("l1b-extras", "meta-llama/Llama-3.2-1B", "Q4_K_M", "real", extras(), 1),
    ("l8b-grid", "meta-llama/Llama-3.1-8B", "Q4_K_M", "real", full_grid(), 12),
    ("l8b-extras", "meta-llama/Llama-3.1-8B", "Q4_K_M", "real", extras(), 5),
    ("l8b-grid-noalloc", "meta-llama/Llama-3.1-8B", "Q4_K_M", "no_alloc", full_grid(), 72),
] + [
    (f"l1b-{w}", "meta-llama/Llama-3.2-1B", w, "real", weight_probe(), 2)
    for w in ("F16", "Q8_0", "Q4_0", "Q5_K_M", "Q6_K", "IQ4_NL", "IQ4_XS")
] + [
    (f"l8b-{w}", "meta-llama/Llama-3.1-8B", w, "real", weight_probe(), 2)
    for w in ("Q8_0", "Q4_0", "Q5_K_M", "Q6_K", "IQ4_NL", "IQ4_XS")
] + [
    ("l8b-F16-noalloc", "meta-llama/Llama-3.1-8B", "F16", "no_alloc", weight_probe(), 2),
    ("qwen3-8b", "Qwen/Qwen3-8B", "Q4_K_M", "real", one_factor(), 12),
    ("qwen25-7b", "Qwen/Qwen2.5-7B", "Q4_K_M", "real", one_factor(kv_types=False), 16),
    ("gemma2-2b", "google/gemma-2-2b", "Q4_K_M", "real", one_factor(), 20),
    ("gemma3-1b", "google/gemma-3-1b-it", "Q4_K_M", "real", one_factor(), 20),
    ("qwen3-30b-a3b-noalloc", "Qwen/Qwen3-30B-A3B", "Q4_K_M", "no_alloc", one_factor(), 20),
    ("gpt-oss-20b-noalloc", "openai/gpt-oss-20b", "MXFP4_MOE", "no_alloc", one_factor(), 20),
]


def key(model, wtype, mode, c):
    return json.dumps([model, wtype, mode, c["ctx"], c["ubatch"], c["fa"], c.get("typeK"), c.get("typeV")])


def run_group(gguf, configs, mode, timeout):
    cmd = ["node", str(HERE / "measure.mjs"), str(gguf), json.dumps(configs), "--threads", str(THREADS)]
    if mode == "no_alloc":
        cmd.append("--no-alloc")
    p = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, timeout=timeout)
    rows = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 and not rows:
        rows = [{"config": c, "error": f"node exited {p.returncode}: {p.stderr[-500:]}"} for c in configs]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--raw", default="/tmp/llamacpp-buffers-raw.jsonl")
    ap.add_argument("--csv", default=str(ROOT / "catalog" / "llamacpp-buffers.csv"))
    ap.add_argument("--workdir", default="/tmp/llamacpp-buffers-gguf")
    ap.add_argument("--csv-only", action="store_true", help="only rebuild the CSV from --raw")
    a = ap.parse_args()
    raw = Path(a.raw)
    done = set()
    if raw.exists():
        for l in raw.read_text().splitlines():
            d = json.loads(l)
            done.add(key(d["modelId"], d["weightType"], d["mode"], d["config"]))
    if not a.csv_only:
        work = Path(a.workdir)
        work.mkdir(parents=True, exist_ok=True)
        nlc = json.loads((HERE / "node_modules/node-llama-cpp/package.json").read_text())["version"]
        for name, model, wtype, mode, configs, per in PLAN:
            if a.only and name not in a.only:
                continue
            todo = [c for c in configs if key(model, wtype, mode, c) not in done]
            if not todo:
                continue
            gguf = work / f"{model.replace('/', '__')}-{wtype}.gguf"
            size = make_gguf.write(model, wtype, gguf)
            t0 = time.time()
            try:
                for i in range(0, len(todo), per):
                    group = todo[i:i + per]
                    for d in run_group(gguf, group, mode, timeout=600):
                        d.update(modelId=model, weightType=wtype, mode=mode, fileBytes=size, plan=name,
                                 nodeLlamaCpp=nlc)
                        with raw.open("a") as f:
                            f.write(json.dumps(d) + "\n")
                        done.add(key(model, wtype, mode, d["config"]))
                    print(f"{name}: {min(i + per, len(todo))}/{len(todo)} ({time.time() - t0:.0f} s)", flush=True)
            finally:
                gguf.unlink(missing_ok=True)
    write_csv(raw, Path(a.csv))


COLUMNS = ["model_id", "weight_type", "file_bytes", "mode", "n_ctx_req", "n_ctx", "n_ubatch_req", "n_batch", "n_ubatch",
           "flash_attn_req", "flash_attn", "type_k", "type_v", "threads", "cpu_mapped_mib", "cpu_repack_mib",
           "model_host_mib", "kv_mib", "kv_k_mib", "kv_v_mib", "kv_cells", "kv_layers", "compute_mib",
           "output_mib", "graph_nodes", "graph_splits", "rss_load_mib", "rss_ctx_mib", "rss_anon_ctx_mib",
           "rss_file_ctx_mib", "repacked_tensors", "repack_layout", "error", "llama_cpp", "ggml_cpu_variant",
           "cpu_flags", "node_llama_cpp"]


def fmt(x, nd=2):
    return "" if x is None else (f"{x:.{nd}f}" if isinstance(x, float) else str(x))


def row(d):
    c = d["config"]
    kvd = d.get("kvDetail") or []
    proc_l, proc_c = d.get("procAfterLoad") or {}, d.get("procAfterCtx") or {}
    model = d.get("model") or {}
    flags = (d.get("systemInfo") or "").split("CPU :")[-1]
    flags = " ".join(f.split("=")[0].strip() for f in flags.split("|") if f.strip().endswith("= 1"))
    fa_req = c["fa"] if c["fa"] == "auto" else ("on" if c["fa"] else "off")
    fa = {"enabled": "on", "disabled": "off"}.get(d.get("flashAttnParam"), d.get("flashAttnParam"))
    for n in d.get("notes") or []:  # 'auto' resolves after the parameter line is printed
        if "Flash Attention" in n or "flash_attn" in n.lower():
            fa = "on" if "enabled" in n else ("off" if "disabled" in n or "not supported" in n else fa)
    # llama.cpp's own reason when it logged one, else what node-llama-cpp reported
    errs = [n for n in d.get("notes") or [] if "requires flash_attn" in n or "requires Flash Attention" in n]
    err = errs[0] if errs else d.get("error")
    return {
        "model_id": d["modelId"], "weight_type": d["weightType"], "file_bytes": d.get("fileBytes"),
        "mode": d["mode"], "n_ctx_req": c["ctx"], "n_ctx": d.get("nCtx"), "n_ubatch_req": c["ubatch"], "n_batch": d.get("nBatch"),
        "n_ubatch": d.get("nUbatch"), "flash_attn_req": fa_req, "flash_attn": fa if not err else "",
        "type_k": c.get("typeK", "F16"), "type_v": c.get("typeV", "F16"), "threads": d.get("threads"),
        "cpu_mapped_mib": model.get("CPU_Mapped"), "cpu_repack_mib": model.get("CPU_REPACK", 0.0 if model else None),
        "model_host_mib": round(d["modelHostBytes"] / 2**20, 2) if d.get("modelHostBytes") else None,
        "kv_mib": round(sum(k["mib"] for k in kvd), 2) if kvd else None,
        "kv_k_mib": round(sum(k["kMib"] for k in kvd), 2) if kvd else None,
        "kv_v_mib": round(sum(k["vMib"] for k in kvd), 2) if kvd else None,
        "kv_cells": "+".join(str(k["cells"]) for k in kvd), "kv_layers": "+".join(str(k["layers"]) for k in kvd),
        "compute_mib": (d.get("compute") or {}).get("CPU"), "output_mib": (d.get("output") or {}).get("CPU"),
        "graph_nodes": d.get("graphNodes"), "graph_splits": d.get("graphSplits"),
        "rss_load_mib": proc_l.get("rss"), "rss_ctx_mib": proc_c.get("rss"),
        "rss_anon_ctx_mib": proc_c.get("rssAnon"), "rss_file_ctx_mib": proc_c.get("rssFile"),
        "repacked_tensors": d.get("repackedTensors"), "repack_layout": " ".join(d.get("repackLayouts") or []),
        "error": (err or "").replace("\n", " ")[:200],
        "llama_cpp": "llama.cpp " + (d.get("llamaCpp") or {}).get("release", "?") + " (node-llama-cpp bundle)",
        "ggml_cpu_variant": d.get("cpuBackend"), "cpu_flags": flags, "node_llama_cpp": d.get("nodeLlamaCpp"),
    }


def write_csv(raw, out):
    rows = [row(json.loads(l)) for l in raw.read_text().splitlines()]
    with out.open("w", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: fmt(v) for k, v in r.items()})
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
