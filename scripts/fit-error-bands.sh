#!/usr/bin/env bash
# Regenerates catalog/error-bands.csv (the error band of every class of estimates) from the residuals of
# validate on catalog/measured.csv, and the generated tables of the bands section of catalog/calibration.md
# (held-out coverage, each class's band). Usage: scripts/fit-error-bands.sh [--check]
# --check writes nothing and exits 1 when the files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat "$cpfile")" gpupoor.calibrate.ErrorBandsFit "$@"
