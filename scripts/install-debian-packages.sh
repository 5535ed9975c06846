#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, only when some are missing.
# Usage: scripts/install-debian-packages.sh [build|test|run]
set -euo pipefail
what=${1:-test}
pkgs=(openjdk-17-jdk-headless maven fonts-dejavu-core)
case "$what" in
  test) pkgs+=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client jupyter-console
               python3-jupyter-kernel-test python3-pytest chromium chromium-driver python3-selenium) ;;
  run)  pkgs+=(jupyter-notebook jupyter-nbconvert python3-venv python3-pip) ;;
  build) ;;
  *) echo "usage: $0 [build|test|run]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
