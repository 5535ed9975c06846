#!/usr/bin/env python3
"""Checks catalog/measured.csv against itself and against catalog/measured.md.

Usage: scripts/check-measured.py [--csv catalog/measured.csv] [--doc catalog/measured.md]

Checks (standard library only):
  * every line has the header's column count; ids are unique integers;
  * exclude is 0 or 1, metric is one of measured.md's metric table, iterations only on train_runtime_total;
  * every token of the settings column is an option of measured.md's settings table, given once, with a
    valid value, on a row it applies to (training options on training rows, vLLM options on vLLM rows, ...);
  * settings_source is filled exactly when settings is;
  * --runtime-version follows the row's runtime's naming, and --max-model-len never repeats context_len;
  * measured.md's settings table lists exactly the options this script knows, with the row counts the file has.
Exits 1 and lists every problem (row id and column) when a check fails.
"""
import argparse
import collections
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INT = re.compile(r'[1-9]\d*')
LORA_MODULES = ('q', 'k', 'v', 'o', 'gate', 'up', 'down', 'output')


def positive_int(v):
    return bool(INT.fullmatch(v))


def one_of(*values):
    return lambda v: v in values


def fraction(v):
    try:
        x = float(v)
    except ValueError:
        return False
    return 0 < x <= 1 and re.fullmatch(r'0?\.\d+|1(\.0+)?', v) is not None


def gpu_layers(v):
    return v == 'all' or v == '0' or positive_int(v)


def lora_targets(v):
    if v == 'all':
        return True
    parts = v.split(',')
    return len(set(parts)) == len(parts) and all(p in LORA_MODULES for p in parts)


def modules(v):
    return all(re.fullmatch(r'model\.layers\.\d+\.(mlp|self_attn)', p) for p in v.split(','))


def text(v):
    return bool(re.fullmatch(r'[A-Za-z0-9][A-Za-z0-9._-]*', v))


def host_bandwidth(v):
    try:
        return float(v) > 0
    except ValueError:
        return False


# option -> (value check or None for a flag, where it applies)
TRAIN, INFER, ANY = 'training', 'inference', 'any'
OPTIONS = {
    # training recipes (issue 12)
    '--precision': (one_of('mixed', 'bf16', 'fp32'), TRAIN),
    '--parallelism': (one_of('tensor', 'layer', 'data', 'sharded'), ANY),
    '--zero': (one_of('1', '2', '3'), TRAIN),
    '--cpu-offload': (one_of('optimizer', 'params', 'all'), TRAIN),
    '--lora-rank': (positive_int, TRAIN),
    '--lora-targets': (lora_targets, TRAIN),
    '--optimizer': (one_of('adam', 'adamw', 'adam-8bit', 'paged-adamw', 'paged-adam-8bit', 'sgd', 'sgd-momentum'),
                    TRAIN),
    '--optimizer-in-backward': (None, TRAIN),
    '--grad-checkpointing': (None, TRAIN),
    '--activation-offloading': (None, TRAIN),
    '--chunked-loss': (None, TRAIN),
    '--compile': (None, TRAIN),
    # llama.cpp
    '--gpu-layers': (gpu_layers, 'llama.cpp'),
    '--split-mode': (one_of('layer', 'row', 'tensor'), 'llama.cpp'),
    '--batch-size': (positive_int, 'llama.cpp'),
    '--ubatch': (positive_int, 'llama.cpp'),
    '--threads': (positive_int, 'llama.cpp'),
    '--no-mmap': (None, 'llama.cpp'),
    '--host-bandwidth': (host_bandwidth, 'llama.cpp'),
    '--kv-cache': (one_of('f16', 'fp8', 'q8_0', 'q4_0'), INFER),
    '--flash-attention': (one_of('on', 'off'), INFER),
    '--interconnect': (one_of('pcie', 'nvlink'), ANY),
    # weight formats
    '--gptq-kernel': (one_of('exllama', 'cuda-old'), 'gptq'),
    '--bnb-4bit-type': (one_of('nf4', 'fp4'), 'bnb'),
    '--bnb-double-quant': (None, 'bnb'),
    '--unquantized-modules': (modules, 'bnb'),
    # vLLM (issue 13)
    '--gpu-memory-utilization': (fraction, 'vllm'),
    '--max-model-len': (positive_int, 'vllm'),
    '--max-num-seqs': (positive_int, 'vllm'),
    '--max-num-batched-tokens': (positive_int, 'vllm'),
    '--max-lora-rank': (positive_int, 'vllm'),
    '--enforce-eager': (None, 'vllm'),
    '--runtime-version': (text, ANY),
}

RUNTIME_VERSION = {
    'llama.cpp': re.compile(r'b\d+|pr\d+|\d{4}-\d{2}(-\d{2})?'),
    'vllm': re.compile(r'vllm-(\d+\.\d+\.\d+(\.post\d+)?|pr\d+)(-v[01])?'),
    'hf': re.compile(r'transformers-(\d+\.\d+(\.\d+)?|\d{4}-\d{2}(-\d{2})?)'),
}


def applies(where, row):
    fw, tm, q = row['framework_id'], row['train_method'], row['quant_id']
    if where == ANY:
        return True
    if where == TRAIN:
        return tm != ''
    if where == INFER:
        return tm == ''
    if where == 'gptq':
        return q.startswith('gptq')
    if where == 'bnb':
        return q == 'nf4' or tm == 'qlora'
    return fw == where


def parse_settings(s):
    """[(option, value or None)]; raises ValueError on a token that is neither an option nor a value."""
    tokens = s.split()
    out = []
    i = 0
    while i < len(tokens):
        opt = tokens[i]
        if not opt.startswith('--'):
            raise ValueError(f"'{opt}' is not an option (options start with --)")
        spec = OPTIONS.get(opt)
        if spec is None:
            raise ValueError(f"unknown option '{opt}'")
        if spec[0] is None:
            out.append((opt, None))
            i += 1
        else:
            if i + 1 >= len(tokens) or tokens[i + 1].startswith('--'):
                raise ValueError(f"{opt} needs a value")
            out.append((opt, tokens[i + 1]))
            i += 2
    return out


def doc_tables(doc):
    """(metric names of the metric table, {option: documented row count} of the settings table)."""
    metrics, options = set(), {}
    section = None
    for line in doc.splitlines():
        if line.startswith('#'):
            section = line.lstrip('#').strip().lower()
            continue
        if not line.startswith('| `'):
            continue
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        name = cells[0].strip('`')
        if section == 'metric vocabulary':
            metrics.add(name)
        elif section is not None and section.startswith('settings options'):
            options[name] = int(cells[-1]) if cells[-1].isdigit() else None
    return metrics, options


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--csv', default=str(ROOT / 'catalog' / 'measured.csv'))
    ap.add_argument('--doc', default=str(ROOT / 'catalog' / 'measured.md'))
    args = ap.parse_args()
    problems = []

    with open(args.csv, newline='', encoding='utf-8') as f:
        lines = list(csv.reader(f))
    header, body = lines[0], lines[1:]
    for n, cells in enumerate(body, start=2):
        if len(cells) != len(header):
            problems.append(f'line {n}: {len(cells)} cells, the header has {len(header)}')
    for col in ('id', 'metric', 'exclude', 'iterations', 'settings', 'settings_source', 'context_len'):
        if col not in header:
            problems.append(f'column {col} missing from the header')
    if problems:
        return report(problems)
    rows = [dict(zip(header, cells)) for cells in body]

    metrics, documented = doc_tables(Path(args.doc).read_text(encoding='utf-8'))
    if not metrics:
        problems.append(f'{args.doc}: no metric table (section "Metric vocabulary") found')
    if not documented:
        problems.append(f'{args.doc}: no settings table (section "Settings options") found')

    ids = collections.Counter(r['id'] for r in rows)
    for i, c in ids.items():
        if not INT.fullmatch(i):
            problems.append(f'id {i!r}: not a positive integer')
        if c > 1:
            problems.append(f'id {i}: used by {c} rows')

    used = collections.Counter()
    for r in rows:
        where = f"row {r['id']}"
        if r['exclude'] not in ('0', '1'):
            problems.append(f"{where}, exclude: {r['exclude']!r} is not 0 or 1")
        if metrics and r['metric'] not in metrics:
            problems.append(f"{where}, metric: {r['metric']!r} is not in measured.md's metric table")
        if r['iterations'] and r['metric'] != 'train_runtime_total':
            problems.append(f"{where}, iterations: set on a {r['metric']} row")
        if bool(r['settings']) != bool(r['settings_source']):
            problems.append(f"{where}: settings and settings_source must be both filled or both blank")
        try:
            opts = parse_settings(r['settings'])
        except ValueError as e:
            problems.append(f'{where}, settings: {e}')
            continue
        seen = set()
        for opt, value in opts:
            check, scope = OPTIONS[opt]
            if opt in seen:
                problems.append(f'{where}, settings: {opt} given twice')
            seen.add(opt)
            used[opt] += 1
            if check is not None and not check(value):
                problems.append(f"{where}, settings: {opt} {value!r} is not a valid value")
            if not applies(scope, r):
                problems.append(f"{where}, settings: {opt} applies to {scope} rows, not to this "
                                f"{r['framework_id']} {r['train_method'] or 'inference'} row")
            if opt == '--runtime-version' and r['framework_id'] in RUNTIME_VERSION \
                    and not RUNTIME_VERSION[r['framework_id']].fullmatch(value):
                problems.append(f"{where}, settings: --runtime-version {value!r} does not follow the "
                                f"{r['framework_id']} form {RUNTIME_VERSION[r['framework_id']].pattern}")
            if opt == '--max-model-len' and value == r['context_len']:
                problems.append(f"{where}, settings: --max-model-len repeats context_len (leave it out)")

    for opt in sorted(set(documented) - set(OPTIONS)):
        problems.append(f'{args.doc}: documents {opt}, which this check does not know')
    for opt in sorted(set(OPTIONS) - set(documented)):
        if documented:
            problems.append(f'{args.doc}: the settings table lacks {opt}')
    for opt, count in sorted(documented.items()):
        if opt in OPTIONS and count != used.get(opt, 0):
            problems.append(f'{args.doc}: says {opt} is used by {count} rows; the file has {used.get(opt, 0)}')

    if problems:
        return report(problems)
    filled = sum(1 for r in rows if r['settings'])
    print(f'{args.csv}: {len(rows)} rows, {len(header)} columns, ids unique; '
          f'{filled} rows with settings, {len(used)} options used:')
    for opt, c in used.most_common():
        print(f'  {opt:28} {c:5}')
    return 0


def report(problems):
    for p in problems:
        print(p, file=sys.stderr)
    print(f'{len(problems)} problem(s)', file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())
