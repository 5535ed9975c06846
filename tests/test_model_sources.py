"""Model sources read by our jar (`gpupoor inspect ... --format json`), checked against independent tools.

GGUF files are written by llama.cpp's own Python package `gguf` (GGUFWriter) and read back with its
GGUFReader; safetensors files are written by the `safetensors` package and read back with its
safe_open. Our reader's per-tensor types, shapes, element counts, bytes and offsets, and the metadata
of every value type, must agree with theirs. Broken files must give a clear message and exit code 2.

Those packages live in the project's .venv (made by scripts/lab-venv.sh, which test.sh runs); pytest
runs on Debian's Python, so this file is also a script that the venv's Python runs to write and read
the files: `python test_model_sources.py write-gguf DIR` and so on.
"""
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "target" / "gpupoor.jar"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


# ---------------------------------------------------------------------------------------------
# The script side: runs in the venv, with gguf, safetensors and numpy.

def write_gguf(out_dir):
    """types.gguf (one tensor of every ggml type the package knows, metadata of every value type),
    aligned.gguf (a custom alignment), split-0000k-of-0000n.gguf (a model split in parts)."""
    import gguf
    import numpy as np

    out = Path(out_dir)
    w = gguf.GGUFWriter(str(out / "types.gguf"), "llama")
    w.add_block_count(3)
    w.add_embedding_length(256)
    w.add_head_count(8)
    w.add_head_count_kv(2)
    w.add_context_length(4096)
    w.add_feed_forward_length([512, 768, 512])
    w.add_sliding_window(128)
    w.add_sliding_window_pattern([True, False, True])
    w.add_rope_freq_base(10000.0)
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4_000_000_000)
    w.add_int32("test.i32", -2_000_000_000)
    w.add_float32("test.f32", 0.1)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "naïve ✓")
    w.add_uint64("test.u64", 2**63 + 5)
    w.add_int64("test.i64", -(2**62))
    w.add_float64("test.f64", 1e-300)
    w.add_array("test.ints", [1, -2, 3])
    w.add_array("test.floats", [0.5, 1.25])
    w.add_array("test.bools", [True, False])
    w.add_array("test.strings", ["", "a", "bc"])
    w.add_array("test.nested", [[1, 2], [3]])
    w.add_array("tokenizer.ggml.tokens", [f"tok{i}" for i in range(300)])
    expected = {}
    for i, t in enumerate(gguf.GGMLQuantizationType):
        block, size = gguf.GGML_QUANT_SIZES[t]
        rows, blocks = 2 + i % 3, 1 + i % 2
        data = np.zeros((rows, blocks * size), dtype=np.uint8)
        name = f"blk.{i % 3}.{t.name.lower()}.weight"
        w.add_tensor(name, data, raw_dtype=t)
        expected[name] = data.nbytes
    w.add_tensor("blk.0.cube.weight", np.zeros((2, 3, 64), dtype=np.float32))
    w.add_tensor("output_norm.weight", np.zeros((256,), dtype=np.float32))
    _finish(w)

    w = gguf.GGUFWriter(str(out / "aligned.gguf"), "qwen3")
    w.add_custom_alignment(128)
    w.add_block_count(1)
    w.add_embedding_length(32)
    w.add_head_count(4)
    for k in range(3):
        w.add_tensor(f"t{k}", np.zeros((k + 1, 32), dtype=np.float16))
    _finish(w)

    w = gguf.GGUFWriter(str(out / "split.gguf"), "gemma3", split_max_tensors=2)
    w.add_block_count(2)
    w.add_embedding_length(64)
    w.add_head_count(4)
    w.add_head_count_kv(1)
    w.add_sliding_window(512)
    for k in range(5):
        w.add_tensor(f"blk.{k % 2}.t{k}.weight", np.zeros((k + 1, 64), dtype=np.float16))
    _finish(w)
    print(json.dumps(expected))


def _finish(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def read_gguf(paths):
    """What GGUFReader reads from each file: metadata (type names and contents) and tensors."""
    import gguf

    files = []
    for p in paths:
        r = gguf.GGUFReader(p)
        metadata = {}
        for name, f in r.fields.items():
            if name.startswith("GGUF."):
                continue
            v = f.contents()
            metadata[name] = {"types": [t.name for t in f.types], "value": v if not isinstance(v, float) else repr(v)}
        tensors = [{"name": t.name, "type": t.tensor_type.name, "ne": [int(d) for d in t.shape],
                    "elements": int(t.n_elements), "bytes": int(t.n_bytes), "offset": int(t.data_offset)}
                   for t in r.tensors]
        files.append({"path": p, "version": int(r.fields["GGUF.version"].contents()),
                      "alignment": int(r.alignment), "metadata": metadata, "tensors": tensors})
    print(json.dumps({"files": files, "types": [t.name for t in gguf.GGMLQuantizationType],
                      "sizes": {t.name: list(gguf.GGML_QUANT_SIZES[t]) for t in gguf.GGMLQuantizationType}}))


def write_safetensors(out_dir):
    """A two-shard model directory with an index, a multimodal config.json and a generation config;
    every dtype the package can write. Prints the bytes given to the writer for each tensor."""
    import numpy as np
    from safetensors import TensorSpec, serialize_file

    out = Path(out_dir)
    buf = np.zeros(1 << 16, dtype=np.uint8)
    shards = {
        "model-00001-of-00002.safetensors": [
            ("model.embed_tokens.weight", "bfloat16", [10, 8], 160),
            ("model.layers.0.self_attn.q_proj.weight", "float8_e4m3fn", [8, 8], 64),
            ("model.layers.0.self_attn.q_proj.weight_scale_inv", "float32", [1, 1], 4),
            ("model.layers.0.mlp.down_proj.weight", "float8_e5m2", [8, 16], 128),
            ("model.layers.0.mlp.experts.gate_up_proj_blocks", "uint8", [2, 4, 16], 128),
            ("model.layers.0.mlp.experts.gate_up_proj_scales", "float8_e8m0fnu", [2, 4, 1], 8),
            ("model.layers.0.mlp.packed", "float4_e2m1fn_x2", [4, 8], 32),
            ("model.layers.0.mlp.qweight", "int32", [2, 3], 24),
            ("model.norm.weight", "float16", [8], 16),
        ],
        "model-00002-of-00002.safetensors": [
            ("lm_head.weight", "float32", [10, 8], 320),
            ("vision_tower.blocks.0.weight", "float64", [3, 2], 48),
            ("multi_modal_projector.linear.weight", "int8", [5], 5),
            ("model.layers.1.mask", "bool", [7], 7),
            ("model.layers.1.i16", "int16", [3], 6),
            ("model.layers.1.i64", "int64", [2], 16),
            ("model.layers.1.u16", "uint16", [3], 6),
            ("model.layers.1.u32", "uint32", [3], 12),
            ("model.layers.1.u64", "uint64", [1], 8),
            ("model.layers.1.fnuz", "float8_e4m3fnuz", [4], 4),
            ("model.layers.1.fnuz2", "float8_e5m2fnuz", [4], 4),
            ("model.layers.1.c64", "complex64", [2], 16),
        ],
    }
    weight_map = {}
    given = {}
    for shard, tensors in shards.items():
        specs = {n: TensorSpec(dtype=d, shape=s, data_ptr=buf.ctypes.data, data_len=b) for n, d, s, b in tensors}
        serialize_file(specs, str(out / shard), metadata={"format": "pt"})
        for n, _, _, b in tensors:
            weight_map[n] = shard
            given[n] = b
    (out / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {"total_size": sum(given.values())}, "weight_map": weight_map}))
    (out / "config.json").write_text(json.dumps({
        "architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3", "torch_dtype": "bfloat16",
        "text_config": {"model_type": "gemma3_text", "hidden_size": 8, "num_hidden_layers": 2,
                        "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4, "vocab_size": 10},
        "vision_config": {"model_type": "siglip_vision_model", "hidden_size": 2, "num_hidden_layers": 1},
        "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [128, 128],
                                "modules_to_not_convert": ["lm_head", "vision_tower"]}}))
    (out / "generation_config.json").write_text(json.dumps({"max_length": 8192, "eos_token_id": [1, 106]}))
    print(json.dumps(given))


def read_safetensors(paths):
    """What safe_open reads from each file: metadata, and each tensor's dtype and shape."""
    from safetensors import safe_open

    files = {}
    for p in paths:
        with safe_open(p, framework="numpy") as f:
            files[Path(p).name] = {"metadata": f.metadata(),
                                   "tensors": {k: {"dtype": f.get_slice(k).get_dtype(), "shape": f.get_slice(k).get_shape()}
                                               for k in f.keys()}}
    print(json.dumps(files))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"write-gguf": lambda: write_gguf(args[0]), "read-gguf": lambda: read_gguf(args),
     "write-safetensors": lambda: write_safetensors(args[0]), "read-safetensors": lambda: read_safetensors(args)}[command]()
    sys.exit(0)


# ---------------------------------------------------------------------------------------------
# The test side: runs on Debian's Python under pytest.

import pytest  # noqa: E402


def venv(*args):
    if not VENV_PYTHON.is_file():
        pytest.fail(f"{VENV_PYTHON} is missing: run scripts/lab-venv.sh (test.sh does) to get gguf, safetensors and numpy")
    done = subprocess.run([str(VENV_PYTHON), __file__, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def inspect(ref, env=None, expect=0):
    e = dict(os.environ)
    e.update(env or {})
    done = subprocess.run(["java", "-jar", str(JAR), "inspect", str(ref), "--format", "json"],
                          capture_output=True, text=True, timeout=120, env=e)
    assert done.returncode == expect, done.stderr + done.stdout
    if expect == 0:
        return json.loads(done.stdout)
    assert done.stderr.startswith("error: "), done.stderr
    assert "Exception" not in done.stderr and "\tat " not in done.stderr, done.stderr
    return done.stderr


@pytest.fixture(scope="module")
def gguf_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("gguf")
    written = venv("write-gguf", d)
    return d, written


@pytest.fixture(scope="module")
def safetensors_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("safetensors")
    given = venv("write-safetensors", d)
    return d, given


def by_name(tensors):
    return {t["name"]: t for t in tensors}


# The one type where the gguf package and ggml disagree: gguf-py's GGML_QUANT_SIZES still gives Q8_1 the
# 40-byte block of two float32s, while ggml's block_q8_1 is two halves and 32 quants, 36 bytes
# (static_assert in ggml-common.h; ggml.c's type_traits use its sizeof). llama.cpp keeps no weights in
# Q8_1 (it is the activations' format in dot products), so the files it writes never hold one.
GGML_BLOCK = {"Q8_1": (32, 36)}


def expected_bytes(reader_tensor):
    block, size = GGML_BLOCK.get(reader_tensor["type"], (None, None))
    return reader_tensor["bytes"] if block is None else reader_tensor["elements"] // block * size


def check_tensors_against_reader(ours, data_offsets, reference):
    """Our tensors (shape outermost first, offset within the data section) against GGUFReader's
    (ne innermost first, absolute offset)."""
    assert [t["name"] for t in ours] == [t["name"] for f in reference["files"] for t in f["tensors"]]
    theirs = {t["name"]: (t, f["path"]) for f in reference["files"] for t in f["tensors"]}
    for t in ours:
        r, path = theirs[t["name"]]
        assert t["type"] == r["type"], t["name"]
        assert t["shape"] == list(reversed(r["ne"])), t["name"]
        assert t["elements"] == r["elements"], t["name"]
        assert t["bytes"] == expected_bytes(r), t["name"]
        assert t["file"] == Path(path).name
        assert data_offsets[t["file"]] + t["offset"] == r["offset"], t["name"]


def test_every_ggml_type_gives_the_gguf_packages_bytes(gguf_dir):
    d, written = gguf_dir
    ours = inspect(d / "types.gguf")
    reference = venv("read-gguf", d / "types.gguf")
    offsets = {Path(f["location"]).name: f["dataOffset"] for f in ours["gguf"]}
    check_tensors_against_reader(ours["tensors"], offsets, reference)
    # every type the installed gguf package knows is in the file, and in our table with the same block sizes
    assert {t["type"] for t in ours["tensors"]} == set(reference["types"])
    for t in ours["tensors"]:
        if t["name"] in written and t["type"] not in GGML_BLOCK:
            assert t["bytes"] == written[t["name"]], t["name"]
    assert ours["totals"]["bytes"] == sum(expected_bytes(t) for f in reference["files"] for t in f["tensors"])
    by_type = ours["totals"]["byType"]
    for name, (block, size) in reference["sizes"].items():
        block, size = GGML_BLOCK.get(name, (block, size))
        t = by_type[name]
        assert t["bytes"] * block == t["elements"] * size, name
    assert ours["gguf"][0]["version"] == reference["files"][0]["version"] == 3
    assert ours["gguf"][0]["alignment"] == reference["files"][0]["alignment"] == 32


def flatten(v):
    if isinstance(v, list):
        return [x for item in v for x in flatten(item)]
    return [v]


def test_metadata_of_every_value_type_matches_the_reader(gguf_dir):
    d, _ = gguf_dir
    ours = inspect(d / "types.gguf")["gguf"][0]["metadata"]
    theirs = venv("read-gguf", d / "types.gguf")["files"][0]["metadata"]
    assert list(ours) == list(theirs)
    seen = set()
    for key, r in theirs.items():
        o = ours[key]
        seen.add(o["type"])
        assert o["type"] == r["types"][0], key
        if o["type"] == "ARRAY":
            assert o["elementType"] == r["types"][1], key
            assert o["length"] == (len(r["value"]) if r["types"][1] != "ARRAY" else o["length"]), key
            if "values" in o:
                ours_flat = flatten(o["values"])
                theirs_flat = flatten(r["value"])
                if r["types"][-1] == "FLOAT32":
                    assert ours_flat == pytest.approx(theirs_flat, rel=1e-7), key
                else:
                    assert ours_flat == theirs_flat, key
            else:
                assert o["head"] == r["value"][:len(o["head"])], key
        elif isinstance(r["value"], str) and o["type"] in ("FLOAT32", "FLOAT64"):
            assert o["value"] == float(r["value"]), key
        else:
            assert o["value"] == r["value"], key
    assert seen == {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY",
                    "UINT64", "INT64", "FLOAT64"}


def test_gguf_architecture_becomes_config_keys(gguf_dir):
    d, _ = gguf_dir
    c = inspect(d / "types.gguf")["config"]
    assert c["model_type"] == "llama"
    assert c["num_hidden_layers"] == 3
    assert c["hidden_size"] == 256
    assert c["num_attention_heads"] == 8
    assert c["num_key_value_heads"] == 2
    assert c["max_position_embeddings"] == 4096
    assert c["intermediate_size"] == 768 and c["intermediate_size_per_layer"] == [512, 768, 512]
    assert c["sliding_window"] == 128
    assert c["layer_types"] == ["sliding_attention", "full_attention", "sliding_attention"]
    assert c["vocab_size"] == 300
    assert c["tie_word_embeddings"] is True


def test_a_custom_alignment_and_split_files(gguf_dir):
    d, _ = gguf_dir
    aligned = inspect(d / "aligned.gguf")
    reference = venv("read-gguf", d / "aligned.gguf")
    assert aligned["gguf"][0]["alignment"] == reference["files"][0]["alignment"] == 128
    check_tensors_against_reader(aligned["tensors"], {"aligned.gguf": aligned["gguf"][0]["dataOffset"]}, reference)

    parts = sorted(p.name for p in d.glob("split-*.gguf"))
    assert parts == ["split-00001-of-00003.gguf", "split-00002-of-00003.gguf", "split-00003-of-00003.gguf"]
    ours = inspect(d / parts[1])
    reference = venv("read-gguf", *[d / p for p in parts])
    offsets = {Path(f["location"]).name: f["dataOffset"] for f in ours["gguf"]}
    assert sorted(offsets) == parts
    check_tensors_against_reader(ours["tensors"], offsets, reference)
    assert ours["config"]["model_type"] == "gemma3"
    assert ours["config"]["layer_types"] == ["sliding_attention", "sliding_attention"]
    assert [o["metadata"]["split.no"]["value"] for o in ours["gguf"]] == [0, 1, 2]


def test_safetensors_model_directory_matches_the_safetensors_package(safetensors_dir):
    d, given = safetensors_dir
    ours = inspect(d)
    shards = sorted(d.glob("model-*.safetensors"))
    theirs = venv("read-safetensors", *shards)
    assert ours["format"] == "safetensors"
    tensors = by_name(ours["tensors"])
    assert set(tensors) == set(given)
    for shard, content in theirs.items():
        for name, t in content["tensors"].items():
            o = tensors[name]
            assert o["file"] == shard
            assert o["type"] == t["dtype"], name
            assert o["shape"] == t["shape"], name
            assert o["bytes"] == given[name], name
    assert ours["totals"]["bytes"] == sum(given.values())
    assert ours["totals"]["byModality"]["vision"]["bytes"] == given["vision_tower.blocks.0.weight"] + given[
        "multi_modal_projector.linear.weight"]
    assert ours["config"]["hidden_size"] == 8 and ours["config"]["model_type"] == "gemma3_text"
    assert ours["config"]["torch_dtype"] == "bfloat16"
    assert ours["vision"]["model_type"] == "siglip_vision_model"
    assert ours["generation"]["max_length"] == 8192
    q = ours["quantization"]
    assert (q["method"], q["bits"], q["groupSize"], q["scheme"]) == ("FP8", 8, 16384, "e4m3")
    assert q["unquantized"] == ["lm_head", "vision_tower"]
    assert ours["notes"] == ["text model config: torch_dtype taken from the outer config"]


def test_broken_files_give_a_clear_error_and_exit_2(gguf_dir, tmp_path):
    d, _ = gguf_dir
    good = (d / "aligned.gguf").read_bytes()
    reference = venv("read-gguf", d / "aligned.gguf")["files"][0]

    not_gguf = tmp_path / "not.gguf"
    not_gguf.write_text('{"hidden_size": 4096}')
    assert "is not a GGUF file: it starts with bytes 7B 22 68 69" in inspect(not_gguf, expect=2)

    header_end = reference["tensors"][0]["offset"]
    for cut in (3, 12, 30, header_end // 2, header_end - 200):
        truncated = tmp_path / f"cut{cut}.gguf"
        truncated.write_bytes(good[:cut])
        message = inspect(truncated, expect=2)
        assert "truncated" in message or "not a GGUF file" in message, message

    absurd = tmp_path / "absurd.gguf"
    absurd.write_bytes(good[:8] + struct.pack("<Q", 2**60) + good[16:])
    assert "the tensor count is 1152921504606846976, more than the" in inspect(absurd, expect=2)
    absurd.write_bytes(good[:16] + struct.pack("<Q", 2**59) + good[24:])
    assert "the metadata count is 576460752303423488, more than the" in inspect(absurd, expect=2)

    # the type field of the first tensor info: after its name, dimension count and dimensions
    r = venv("read-gguf", d / "aligned.gguf")
    first = r["files"][0]["tensors"][0]
    unknown = bytearray(good)
    start = find_tensor_info(good, first["name"])
    type_at = start + 8 + len(first["name"]) + 4 + 8 * len(first["ne"])
    unknown[type_at:type_at + 4] = struct.pack("<I", 99)
    bad = tmp_path / "unknown.gguf"
    bad.write_bytes(bytes(unknown))
    assert "tensor 't0' has unknown ggml type id 99" in inspect(bad, expect=2)
    unknown[type_at:type_at + 4] = struct.pack("<I", 31)
    bad.write_bytes(bytes(unknown))
    assert "Q4_0_4_4, removed from GGUF files" in inspect(bad, expect=2)

    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"text_config": {"hidden_size": 8, "num_hidden_layers": 2},
                                                   "vision_config": {"hidden_size": 4}}))
    assert "nests its text model under text_config, and text_config lacks one of num_attention_heads" in inspect(
        model, expect=2)

    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "GPUPOOR_CACHE": str(tmp_path / "cache")}
    message = inspect("acme/not-cached", env=env, expect=2)
    assert message.startswith("error: HF_HUB_OFFLINE is set and acme/not-cached@main is not cached"), message


def find_tensor_info(data, name):
    """Where the tensor info of `name` starts: its 8-byte name length, then the name."""
    encoded = name.encode()
    at = data.index(struct.pack("<Q", len(encoded)) + encoded)
    return at
