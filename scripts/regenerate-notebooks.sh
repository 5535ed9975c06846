#!/usr/bin/env bash
# Executes every notebooks/*.ipynb (or the notebooks given) in place, saving their outputs, on the
# gpu_poor kernel installed from target/gpupoor.jar into a temporary Jupyter data directory.
# Usage: scripts/regenerate-notebooks.sh [--no-build] [NOTEBOOK...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then
    build=0
    shift
fi
if [ "$build" = 1 ] || [ ! -f target/gpupoor.jar ]; then
    mvn -B -q -ntp -DskipTests package
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export JUPYTER_DATA_DIR="$tmp/data" JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_CONFIG_DIR="$tmp/config"
export PATH="/usr/bin:$PATH"
java -jar target/gpupoor.jar install --user >/dev/null
if [ "$#" -eq 0 ]; then
    set -- notebooks/*.ipynb
fi
for nb in "$@"; do
    echo "executing $nb"
    /usr/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 \
        --ExecutePreprocessor.kernel_name=gpupoor "$nb"
done
