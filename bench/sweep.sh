#!/usr/bin/env bash
# bench/sweep.sh — run kiiexgen over every OpenAPI/Swagger document in the
# Go module cache (kin-openapi's, ogen's, speakeasy's... testdata: hundreds
# of real and deliberately broken specs nobody wrote for kiiexgen) and
# sort the outcomes: OK, ERR (a clean refusal with diagnostics), PANIC or
# TIMEOUT (bugs), then go vet every generated package. `make sweep`.
# A refusal is not a bug by itself (many are invalid on purpose); read
# the ERR list for valid specs refused (summary.tsv and the per-spec logs
# under $OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d)}
MODCACHE=$(go env GOMODCACHE)
go build -o "$OUT/kiiexgen" ./cmd/kiiexgen
mkdir -p "$OUT/gen"
printf 'module sweep\n\ngo 1.25\n' >"$OUT/gen/go.mod"
i=0
grep -rlE --include='*.json' --include='*.yaml' --include='*.yml' -m1 '"?(openapi|swagger)"?[[:space:]]*:[[:space:]]*"?[23]\.' "$MODCACHE" 2>/dev/null | sort |
	while read -r f; do
		i=$((i + 1))
		rc=0
		timeout 60 "$OUT/kiiexgen" -spec "$f" -out "$OUT/gen/p$i" -package "p$i" -ref-root "$(dirname "$f")" >"$OUT/$i.log" 2>&1 || rc=$?
		if grep -q '^goroutine \|^panic:' "$OUT/$i.log"; then cls=PANIC; elif [ $rc = 124 ]; then cls=TIMEOUT; elif [ $rc = 0 ]; then cls=OK; else cls=ERR; fi
		printf '%s\t%s\t%s\n' "$cls" "$i" "${f#"$MODCACHE"/}"
	done >"$OUT/summary.tsv"
cut -f1 "$OUT/summary.tsv" | sort | uniq -c
(cd "$OUT/gen" && go vet ./...) && echo "go vet: every generated package clean"
echo "details: $OUT/summary.tsv"
! grep -qE '^(PANIC|TIMEOUT)' "$OUT/summary.tsv"
