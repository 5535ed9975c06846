#!/usr/bin/env bash
# Runs every test: the Java unit tests (Maven Surefire), then the real-client Jupyter tests
# (pytest: kernel protocol, notebooks executed headlessly, headless-Chromium smoke test on the classic
# Notebook and JupyterLab).
# Installs what it needs on Debian 12 first. The kernel is installed into a temporary Jupyter dir.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-debian-packages.sh test
scripts/install-debian-packages.sh run
scripts/lab-venv.sh          # JupyterLab for the browser test (the classic Notebook comes from Debian)
mvn -B -ntp package
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export JUPYTER_DATA_DIR="$tmp/data" JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_CONFIG_DIR="$tmp/config"
export PATH="/usr/bin:$PATH"
# Hub ids never reach the real Hub in the tests: offline, with empty caches (notebook 05 ships its own)
export HF_HUB_OFFLINE=1 HF_HOME="$tmp/hf-home" GPUPOOR_CACHE="$tmp/gpupoor-cache"
java -jar target/gpupoor.jar install --user
/usr/bin/python3 -m pytest -p no:cacheprovider tests
