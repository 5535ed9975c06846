#!/usr/bin/env bash
# The main command: installs what is missing (Debian 12), builds the jar, installs the Jupyter
# kernel ("Java (gpu_poor)") for this user and starts JupyterLab on notebooks/.
#
#   ./run.sh                 JupyterLab, from a venv (.venv) made on the first run with pip install jupyterlab
#   ./run.sh --classic       Debian's classic Jupyter Notebook instead (no venv, no pip); widgets render
#                            there when .venv exists (its widgetsnbextension, from scripts/lab-venv.sh)
#   ./run.sh [--classic] ARGS   ARGS go to Jupyter, e.g. --no-browser --port 9999 --ip 0.0.0.0
#
# Jupyter prints the URL to open (with its token) once it is up; stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
front=lab
if [ "${1:-}" = "--classic" ]; then
  front=classic
  shift
fi
scripts/install-debian-packages.sh run
echo "Building target/gpupoor.jar ..."
mvn -B -q -ntp package -DskipTests
java -jar target/gpupoor.jar install --user
mkdir -p notebooks
as_root=()
if [ "$(id -u)" -eq 0 ]; then
  as_root=(--allow-root)
fi
if [ "$front" = classic ]; then
  if [ -d .venv/share/jupyter/nbextensions/jupyter-js-widgets ]; then
    # the widgets extension of the venv's ipywidgets 8 (Debian's is ipywidgets 6, too old for them)
    export JUPYTER_PATH="$PWD/.venv/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
    export JUPYTER_CONFIG_PATH="$PWD/.venv/etc/jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
  else
    echo "Note: widgets (sliders, progress bars) show as text; scripts/lab-venv.sh installs their front end."
  fi
  echo "Starting the classic Jupyter Notebook on notebooks/; open the URL it prints below."
  exec /usr/bin/jupyter notebook --notebook-dir=notebooks "${as_root[@]}" "$@"
fi
scripts/lab-venv.sh
echo "Starting JupyterLab on notebooks/; open the URL it prints below."
exec .venv/bin/jupyter lab --notebook-dir=notebooks "${as_root[@]}" "$@"
