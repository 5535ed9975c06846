#!/usr/bin/env bash
# Measures the row-streaming commands on a generated file of N rows (default 100,000): wall time and
# peak memory (maximum resident set size) of `estimate --csv` (default and gpu-poor methods) and of
# `validate --data`, with /usr/bin/time -v, run as a user runs them (bin/gpupoor, the launcher), then
# with plain `java -jar` for comparison. The target (issue 16): 100,000 rows in at most 3 s and
# 300 MB. Run after `mvn package`; prints one line per command: wall time, CPU time (user + system,
# which the machine's other work does not inflate as it does the wall time), peak memory, and the
# 1-minute load average before it.
#   scripts/bench-rows.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
jar=target/gpupoor.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# estimate --csv: a mix of catalog models, devices, runtimes, lengths, and one bad row in 1,000
/usr/bin/python3 - "$rows" "$tmp/estimate.csv" <<'EOF'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
random.seed(16)
models = ["meta-llama/Llama-2-7b-hf", "meta-llama/Meta-Llama-3-8B", "Qwen/Qwen2.5-14B", "mistralai/Mistral-7B-v0.1",
          "google/gemma-2-9b", "13B", "70B"]
devices = ["rtx-4090", "rtx-3090", "a100-sxm4-80gb", "h100-sxm5-80gb", ""]
with open(path, "w") as f:
    f.write("case,model,mode,framework,quant,prompt,gen,batch,device,gpus\n")
    for i in range(rows):
        if i % 1000 == 999:
            f.write(f"{i},{random.choice(models)},inference,hf,none,x,128,1,rtx-4090,1\n")
            continue
        fw, quant = random.choice([("hf", "none"), ("vllm", "none"), ("llama.cpp", "gguf-Q4_K_M"), ("hf", "bnb-nf4")])
        f.write(f"{i},{random.choice(models)},inference,{fw},{quant},{random.choice([128, 512, 2048, 8192])},"
                f"{random.choice([1, 128, 512])},{random.choice([1, 4, 16])},{random.choice(devices)},1\n")
EOF

# validate --data: the bundled measurements repeated to ROWS rows
/usr/bin/python3 - "$rows" "$tmp/measured.csv" <<'EOF'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
lines = open("catalog/measured.csv", encoding="utf-8").read().splitlines()
header, data = lines[0], [l for l in lines[1:] if l.strip()]
with open(path, "w", encoding="utf-8") as f:
    f.write(header + "\n")
    for i in range(rows):
        f.write(data[i % len(data)] + "\n")
EOF

measure() {
    local label=$1; shift
    local log="$tmp/time.log"
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    set +e
    /usr/bin/time -v "$@" >"$tmp/out" 2>"$log"
    local code=$?
    set -e
    local wall rss cpu
    wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$log")
    printf '%-46s rows %-7s exit %s  wall %-8s  cpu %5s s  max RSS %4s MB  load %s\n' "$label" "$rows" "$code" \
        "$wall" "$cpu" "$((rss / 1024))" "$load"
}

for run in "bin/gpupoor" "java -jar $jar"; do
    # shellcheck disable=SC2086
    measure "$run estimate --csv" $run estimate --csv "$tmp/estimate.csv"
    # shellcheck disable=SC2086
    measure "$run estimate --calc gpu-poor --csv" $run estimate --calc gpu-poor --csv "$tmp/estimate.csv"
    # shellcheck disable=SC2086
    measure "$run validate --data" $run validate --data "$tmp/measured.csv" --format csv
done
