#!/usr/bin/env python3
"""Adds today's gpupoor predictions to catalog/llamacpp-buffers.csv and prints error statistics.

For every measured row, runs
  java -jar target/gpupoor.jar estimate --model ID --quant gguf-TYPE --cpu ryzen-9-7950x
       --prompt N_CTX_REQ --gen 0 --ubatch U --flash-attention on|off [--kv-cache q8_0|q4_0] --explain
(one JVM per distinct scenario; `estimate --csv` ignores --ubatch/--flash-attention/--kv-cache) and
writes pred_model_mib, pred_kv_mib, pred_compute_mib, pred_error. Rows llama.cpp refused (error) and
rows the CLI cannot express (K and V cache of different types) get no prediction. A row with
flash attention 'auto' is predicted with the CLI's default (no --flash-attention).

Usage: compare.py [--jar target/gpupoor.jar] [--csv catalog/llamacpp-buffers.csv] [--stats-only]
"""
import argparse
import csv
import json
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRED = ["pred_model_mib", "pred_kv_mib", "pred_compute_mib", "pred_error"]


def scenario(r):
    if r["error"] or r["type_k"] != r["type_v"]:
        return None
    q = "gguf-" + r["weight_type"]
    args = ["--model", r["model_id"], "--quant", q, "--cpu", "ryzen-9-7950x", "--prompt", r["n_ctx_req"],
            "--gen", "0", "--ubatch", r["n_ubatch"] or r["n_ctx_req"]]
    if r["flash_attn_req"] in ("on", "off"):
        args += ["--flash-attention", r["flash_attn_req"]]
    if r["type_k"] != "F16":
        args += ["--kv-cache", r["type_k"].lower()]
    return tuple(args)


def predict(jar, args):
    p = subprocess.run(["java", "-jar", str(jar), "estimate", *args, "--explain"], capture_output=True, text=True)
    if p.returncode != 0:
        return {"pred_error": (p.stderr or p.stdout).strip().splitlines()[-1][:160]}
    m = json.loads(p.stdout)["memory"]
    return {"pred_model_mib": m["Model Size"], "pred_kv_mib": m["KV Cache"],
            "pred_compute_mib": m["Activation Memory"], "pred_error": ""}


def pct(pred, meas):
    return 100.0 * (float(pred) - float(meas)) / float(meas)


def q(xs, f):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(f * (len(xs) - 1))))]


def stats(rows):
    """Median and p90 of |error| per buffer, overall and per subgroup."""
    def line(name, sel, meas_key, pred_key, extra=None):
        errs = []
        for r in sel:
            if not r.get(pred_key) or not r.get(meas_key):
                continue
            meas = float(r[meas_key]) + (float(r[extra]) if extra and r.get(extra) else 0.0)
            errs.append(pct(r[pred_key], meas))
        if not errs:
            return
        a = [abs(e) for e in errs]
        print(f"| {name} | {len(errs)} | {statistics.median(a):.1f}% | {q(a, 0.9):.1f}% | "
              f"{statistics.median(errs):+.1f}% | {min(errs):+.1f}% … {max(errs):+.1f}% |")

    real = [r for r in rows if r["mode"] == "real"]
    # a no_alloc row repeating a real one (the 8B grid, run both ways to validate no_alloc) counts once
    ident = lambda r: (r["model_id"], r["weight_type"], r["n_ctx_req"], r["n_ubatch_req"], r["flash_attn_req"],
                       r["type_k"], r["type_v"])
    measured = {ident(r) for r in real}
    ok = [r for r in rows if r.get("pred_kv_mib") and (r["mode"] == "real" or ident(r) not in measured)]
    print(f"rows {len(rows)}; predicted {len(ok)} distinct; no prediction: "
          f"{sum(1 for r in rows if r['error'])} refused by llama.cpp, "
          f"{sum(1 for r in rows if not r['error'] and r['type_k'] != r['type_v'])} K/V types differ, "
          f"{sum(1 for r in rows if r.get('pred_error'))} the CLI rejects (IQ4_NL, IQ4_XS, MXFP4_MOE)")
    print("| buffer (rows) | n | median abs err | p90 abs err | median signed | range |")
    print("|---|---|---|---|---|---|")
    line("weights vs CPU_Mapped", [r for r in real if r.get("cpu_mapped_mib")], "cpu_mapped_mib", "pred_model_mib")
    line("weights vs CPU_Mapped + CPU_REPACK", [r for r in real if r.get("cpu_mapped_mib")], "cpu_mapped_mib",
         "pred_model_mib", "cpu_repack_mib")
    line("KV cache", ok, "kv_mib", "pred_kv_mib")
    line("compute buffer", ok, "compute_mib", "pred_compute_mib")
    for fa in ("on", "off", "auto"):
        line(f"compute, flash attention {fa}", [r for r in ok if r["flash_attn_req"] == fa], "compute_mib",
             "pred_compute_mib")
    for u in ("128", "512", "2048"):
        line(f"compute, ubatch {u}", [r for r in ok if r["n_ubatch"] == u], "compute_mib", "pred_compute_mib")
    for c in ("512", "4096", "32768"):
        line(f"compute, n_ctx {c}", [r for r in ok if r["n_ctx_req"] == c], "compute_mib", "pred_compute_mib")
    for t in ("F16", "Q8_0", "Q4_0"):
        line(f"KV cache, type {t}", [r for r in ok if r["type_k"] == t], "kv_mib", "pred_kv_mib")
    for m in sorted({r["model_id"] for r in ok}):
        line(f"KV cache, {m}", [r for r in ok if r["model_id"] == m], "kv_mib", "pred_kv_mib")
        line(f"compute, {m}", [r for r in ok if r["model_id"] == m], "compute_mib", "pred_compute_mib")
    for w in sorted({r["weight_type"] for r in real}):
        line(f"weights vs mapped+repack, {w}", [r for r in real if r["weight_type"] == w and r.get("cpu_mapped_mib")],
             "cpu_mapped_mib", "pred_model_mib", "cpu_repack_mib")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=str(ROOT / "target" / "gpupoor.jar"))
    ap.add_argument("--csv", default=str(ROOT / "catalog" / "llamacpp-buffers.csv"))
    ap.add_argument("--stats-only", action="store_true")
    a = ap.parse_args()
    path = Path(a.csv)
    with path.open() as f:
        rd = csv.DictReader(f)
        cols = [c for c in rd.fieldnames if c not in PRED] + PRED
        rows = list(rd)
    if not a.stats_only:
        cache = {}
        for i, r in enumerate(rows):
            s = scenario(r)
            if s is None:
                r.update({k: "" for k in PRED})
                continue
            if s not in cache:
                cache[s] = predict(a.jar, s)
            r.update({k: "" for k in PRED})
            r.update({k: (f"{v:.2f}" if isinstance(v, float) else str(v)) for k, v in cache[s].items()})
            if i % 25 == 0:
                print(f"{i}/{len(rows)}", flush=True)
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, cols, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    stats(rows)


if __name__ == "__main__":
    main()
