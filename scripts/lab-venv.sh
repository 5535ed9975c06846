#!/usr/bin/env bash
# Makes .venv with JupyterLab (pip install jupyterlab) unless it is there already.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/jupyter-lab ]; then
  echo "Creating .venv with JupyterLab (pip install jupyterlab) ..."
  /usr/bin/python3 -m venv .venv
  # One retry: where PyPI is unreachable and pip has a local index, retries only slow it down.
  .venv/bin/pip install -q --retries 1 jupyterlab
fi
.venv/bin/python -c 'import gguf, safetensors, numpy' 2>/dev/null || .venv/bin/pip install -q --retries 1 gguf safetensors numpy  # tests/test_model_sources.py
