#!/usr/bin/env bash
# bench/scaling.sh — how generation time grows with the size of a spec, per
# shape (`make scaling`). Runs BenchmarkScaling (generator/scale_test.go):
# each shape at three sizes, each double the last, and prints the time of
# each size relative to the one before. Linear code shows about 2x per
# step; quadratic code 4x (flagged above 3x; rerun with more SCALING_TIME
# before believing a flag: a single run is noisy).
#
# Knobs (environment):
#   SCALING_RUN=.      benchmark filter below BenchmarkScaling (e.g. schemas)
#   SCALING_TIME=3x    go test -benchtime
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./generator -run '^$' -bench "^BenchmarkScaling$/${SCALING_RUN:-.}" \
	-benchtime "${SCALING_TIME:-3x}" -benchmem -timeout 60m |
	awk '
	/^BenchmarkScaling\// {
		split($1, p, "/"); shape = p[2]; n = p[3]; sub(/-[0-9]+$/, "", n)
		ns = $3; mb = ""
		for (i = 4; i <= NF; i++) if ($(i+1) == "B/op") mb = sprintf("%.0f MB", $i / 1e6)
		ratio = (shape == last && prev > 0) ? sprintf("%.2fx", ns / prev) : "-"
		flag = (shape == last && prev > 0 && ns / prev > 3) ? "  <- superlinear?" : ""
		printf "%-12s %-10s %10.3f s  %10s  %s%s\n", shape, n, ns / 1e9, mb, ratio, flag
		last = shape; prev = ns
		next
	}
	/^(ok|FAIL|---)/ { print }
	'
