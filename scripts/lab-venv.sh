#!/usr/bin/env bash
# Makes .venv with JupyterLab and the Jupyter widgets front end (pip install jupyterlab ipywidgets)
# unless they are there already. ipywidgets brings jupyterlab_widgets (JupyterLab's widget manager)
# and widgetsnbextension (the classic Notebook's, which run.sh --classic and the browser test enable
# in Debian's Notebook through JUPYTER_PATH / JUPYTER_CONFIG_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/jupyter-lab ] || [ ! -d .venv/share/jupyter/nbextensions/jupyter-js-widgets ]; then
  echo "Creating .venv with JupyterLab and ipywidgets (pip install jupyterlab ipywidgets) ..."
  [ -x .venv/bin/pip ] || /usr/bin/python3 -m venv .venv
  # One retry: where PyPI is unreachable and pip has a local index, retries only slow it down.
  .venv/bin/pip install -q --retries 1 jupyterlab ipywidgets
fi
.venv/bin/python -c 'import gguf, safetensors, numpy' 2>/dev/null || .venv/bin/pip install -q --retries 1 gguf safetensors numpy  # tests/test_model_sources.py
