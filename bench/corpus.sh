#!/usr/bin/env bash
# bench/corpus.sh — generation time against spec size over the public corpus
# (`make corpus-scaling`): kiiexgen on every spec of
# ../shared/specs/public (the roots named in MANIFEST.tsv), Twilio and
# GitHub's spec from ogen's module when present, each the median of RUNS
# whole-process runs after a warm-up; then a least-squares line of CPU time
# against size, its R², and the growth exponent (1 is linear). CPU time is
# the measure: on a shared machine wall time mostly tells how busy it was.
#
# Knobs (environment): RUNS=3, OUT=file to also write the Markdown table to.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
SHARED=$ROOT/../shared/specs
BIN=$PWD/.work/bin
mkdir -p "$BIN"
(cd "$ROOT" && go build -o "$BIN/kiiexgen" ./cmd/kiiexgen)
go build -o "$BIN/" ./cmd/bt
specs=()
if [ -f "$SHARED/public/MANIFEST.tsv" ]; then
	while IFS=$'\t' read -r file _; do
		specs+=("$SHARED/public/$file")
	done < <(tail -n +2 "$SHARED/public/MANIFEST.tsv")
fi
for f in "$SHARED/large/twilio_api_v2010.json" "$(go env GOMODCACHE)/github.com/ogen-go/ogen@v1.24.0/_testdata/examples/api.github.com.json"; do
	[ -f "$f" ] && specs+=("$f")
done
if [ ${#specs[@]} -eq 0 ]; then
	echo "no specs: ../shared/specs/public not found" >&2
	exit 1
fi
"$BIN/bt" scale -n "${RUNS:-3}" -bin "$BIN/kiiexgen" -refroot "$SHARED/public" ${OUT:+-o "$OUT"} "${specs[@]}"
