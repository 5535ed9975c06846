#!/usr/bin/env python3
"""Checks make_gguf.py's per-tensor weight types against llama.cpp's own quantizer.

For each model and weight type: writes a sparse F16 GGUF (make_gguf.py, weight type F16), runs
llama.cpp's `llama_model_quantize` from the libllama bundled with node-llama-cpp in dry-run mode
(it decides every tensor's type and prints it, reading no weight data), and compares the printed
types with make_gguf.tensor_type. Prints one line per (model, type) and exits non-zero on any
mismatch.

Usage: check_types.py [MODEL_ID ...] [--types Q4_K_M IQ4_XS ...]
"""
import argparse
import ctypes
import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_gguf  # noqa: E402

LIB_DIR = HERE / "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
MODELS = ["meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.1-8B", "Qwen/Qwen3-8B", "Qwen/Qwen2.5-7B",
          "google/gemma-2-2b", "google/gemma-3-1b-it", "Qwen/Qwen3-30B-A3B", "openai/gpt-oss-20b"]
TYPES = ["Q8_0", "Q4_0", "Q4_K_M", "Q5_K_M", "Q6_K", "IQ4_NL", "IQ4_XS", "MXFP4_MOE"]


class QuantParams(ctypes.Structure):  # struct llama_model_quantize_params (include/llama.h)
    _fields_ = [("nthread", ctypes.c_int32), ("ftype", ctypes.c_int32),
                ("output_tensor_type", ctypes.c_int32), ("token_embedding_type", ctypes.c_int32),
                ("allow_requantize", ctypes.c_bool), ("quantize_output_tensor", ctypes.c_bool),
                ("only_copy", ctypes.c_bool), ("pure", ctypes.c_bool), ("keep_split", ctypes.c_bool),
                ("dry_run", ctypes.c_bool), ("imatrix", ctypes.c_void_p), ("kv_overrides", ctypes.c_void_p),
                ("tt_overrides", ctypes.c_void_p), ("prune_layers", ctypes.c_void_p),
                ("max_buf_size", ctypes.c_size_t)]


def load_lib():
    for dep in ("libggml-base.so", "libggml.v0.5.0.so"):
        ctypes.CDLL(str(LIB_DIR / dep), mode=ctypes.RTLD_GLOBAL)
    lib = ctypes.CDLL(str(LIB_DIR / "libllama.v0.5.0.so"), mode=ctypes.RTLD_GLOBAL)
    lib.llama_model_quantize_default_params.restype = QuantParams
    lib.llama_model_quantize.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(QuantParams)]
    lib.llama_model_quantize.restype = ctypes.c_uint32
    lib.llama_backend_init()
    return lib


def dry_run(lib, src, ftype_id, log_path):
    """Runs the quantizer with its log (stderr) redirected to log_path; returns {tensor: type}."""
    p = lib.llama_model_quantize_default_params()
    p.ftype = ftype_id
    p.dry_run = True
    p.nthread = 1
    sys.stderr.flush()
    saved = os.dup(2)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    try:
        rc = lib.llama_model_quantize(str(src).encode(), os.devnull.encode(), ctypes.byref(p))
    finally:
        os.dup2(saved, 2)
        os.close(fd)
        os.close(saved)
    text = Path(log_path).read_text(errors="replace")
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize returned {rc}: {text[-800:]}")
    types = {}
    for m in re.finditer(r"\]\s+(\S+)\s+- \[[^\]]*\], type =\s+(\S+), size =\s+[\d.]+ MiB(?: ->\s+[\d.]+ MiB \((\S+)\))?", text):
        types[m.group(1)] = (m.group(3) or m.group(2)).upper()
    return types


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*", default=MODELS)
    ap.add_argument("--types", nargs="*", default=TYPES)
    a = ap.parse_args()
    lib = load_lib()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for model in a.models:
            src = Path(tmp) / "f16.gguf"
            make_gguf.write(model, "F16", src)
            for wt in a.types:
                if (wt == "MXFP4_MOE") != (model == "openai/gpt-oss-20b"):
                    continue
                got = dry_run(lib, src, make_gguf.FTYPES[wt][0], Path(tmp) / "log.txt")
                _, tab = make_gguf.table(model, wt)
                want = {name: t.name for name, _, t in tab}
                diff = [(n, want[n], got.get(n)) for n in want if got.get(n) != want[n]]
                mib = sum(make_gguf.nbytes(t, ne) for _, ne, t in tab) / 2**20
                print(f"{model:28s} {wt:9s} tensors={len(want):5d} llama.cpp={len(got):5d} "
                      f"{mib:10.2f} MiB  {'OK' if not diff else 'MISMATCH'}", flush=True)
                for d in diff[:8]:
                    print("    ", d)
                bad += bool(diff) or len(got) != len(want)
            src.unlink()
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
