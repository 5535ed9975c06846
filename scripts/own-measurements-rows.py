#!/usr/bin/env python3
"""Writes our own fine-tuning measurements (catalog/own-measurements/hf-h200.csv, training rows) as
rows of a measurements file (the columns of catalog/measured.csv, each run's recipe in `settings`),
so the validation harness scores the default method on them as a held-out set:

    scripts/own-measurements-rows.py > /tmp/own.csv
    java -jar target/gpupoor.jar validate --data /tmp/own.csv

Two rows per configuration: mem_training (torch.cuda.max_memory_allocated less what was allocated
before: no CUDA context) and train_ms_per_iter. Nothing is fitted on them (catalog/own-measurements/README.md).
"""
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "catalog" / "own-measurements" / "hf-h200.csv"
DEVICE = "h200-sxm-141gb"
COLUMNS = ["id", "source", "model", "framework", "quant", "hardware", "batch", "prompt_len", "gen_len", "context_len",
           "metric", "value", "unit", "notes", "model_id", "hardware_id", "n_devices", "backend", "framework_id",
           "quant_id", "train_method", "value_norm", "unit_norm", "exclude", "notes_norm", "iterations", "settings"]


def settings(r):
    """The recipe of a row as estimate options (hf_measure.py's recipes, see the README)."""
    s = ["--precision", "mixed" if r["dtype"] == "mixed" else "bf16"]
    if r["lora_rank"]:
        s = ["--precision", "mixed"]  # peft keeps the adapters in fp32 over a bf16 base
        s += ["--lora-rank", r["lora_rank"], "--lora-targets", "all" if r["lora_targets"] == "all" else "q,v"]
    s += ["--optimizer", r["optimizer"]]
    if r["grad_ckpt"] == "1":
        s.append("--grad-checkpointing")
    if "-oib" in r["recipe"]:
        s.append("--optimizer-in-backward")
    if r["offload"] == "1":
        s.append("--activation-offloading")
    return " ".join(s)


def main():
    out = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    n = 0
    with SRC.open(newline="") as f:
        for r in csv.DictReader(f):
            if r["part"] != "train" or r["status"] != "ok":
                continue
            base = {c: "" for c in COLUMNS}
            base.update(source="catalog/own-measurements/hf-h200.csv (" + r["recipe"] + ")", model=r["model_id"],
                        framework="hf", quant=r["dtype"], hardware="NVIDIA H200 141GB", batch=r["batch"],
                        context_len=r["seq_len"], model_id=r["model_id"], hardware_id=DEVICE, n_devices="1",
                        backend="gpu", framework_id="hf", quant_id="bf16",
                        train_method="lora" if r["lora_rank"] else "full", exclude="0", settings=settings(r),
                        notes=r["recipe"] + (("; " + r["note"]) if r["note"] else ""))
            for metric, value, unit in (("mem_training", r["peak_alloc_mib"], "MiB"), ("train_ms_per_iter", r["ms_per_iter"], "ms")):
                if not value:
                    continue
                n += 1
                row = dict(base, id=str(90000 + n), metric=metric, value=value, unit=unit, value_norm=value, unit_norm=unit)
                out.writerow(row)


if __name__ == "__main__":
    main()
