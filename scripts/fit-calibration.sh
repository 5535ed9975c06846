#!/usr/bin/env bash
# Fits the default method's efficiencies on catalog/measured.csv and prints them with the fit and
# held-out errors (see catalog/calibration.md). Usage: scripts/fit-calibration.sh [--holdout device|source|none]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat "$cpfile")" gpupoor.calibrate.CalibrationFit "$@"
