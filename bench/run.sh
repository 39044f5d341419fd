#!/usr/bin/env bash
# bench/run.sh — kiiexgen against oapi-codegen and ogen, side by side, in one
# run (`make bench`). Method and results: ../BENCHMARKS.md.
#
# Everything is built and written under bench/.work (git-ignored); at the end
# the results section and the run log of ../BENCHMARKS.md are rewritten.
#
# Knobs (environment):
#   GEN_RUNS=5        measured generator runs per input (median reported)
#   COLD_RUNS=1       cold compiles per generated package (fresh GOCACHE each)
#   PKG_RUNS=3        package-only recompiles
#   BENCH_COUNT=6     go test -count for the generated-code benchmarks
#   BENCH_TIME=500ms  go test -benchtime
#   PHASE_RUNS=5      in-process iterations of the phase split
#   LARGE_RUNS=3      measured runs on the generation-only inputs (Stripe, GitHub)
#   TWILIO_SPEC=...   default ../../shared/specs/large/twilio_api_v2010.json
#   STRIPE_SPEC=...   default ../../shared/specs/public/001-stripe-spec3.yaml
#   GITHUB_SPEC=...   default api.github.com.json of ogen's module (GOMODCACHE)
#   NO_MD=1           print the report only; leave BENCHMARKS.md alone
set -euo pipefail

cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd .. && pwd)
WORK=$BENCH/.work
BIN=$WORK/bin
RES=$WORK/results
MODS=$WORK/mod

OAPI_CODEGEN_VERSION=v2.8.2
OGEN_VERSION=v1.24.0
# oapi-codegen's generated client imports github.com/oapi-codegen/runtime,
# which oapi-codegen's own go.mod does not pin: pin it here.
OAPI_RUNTIME_VERSION=v1.9.0

GEN_RUNS=${GEN_RUNS:-5}
COLD_RUNS=${COLD_RUNS:-1}
PKG_RUNS=${PKG_RUNS:-3}
BENCH_COUNT=${BENCH_COUNT:-6}
BENCH_TIME=${BENCH_TIME:-500ms}
PHASE_RUNS=${PHASE_RUNS:-5}
LARGE_RUNS=${LARGE_RUNS:-3}
TWILIO_SPEC=${TWILIO_SPEC:-$ROOT/../shared/specs/large/twilio_api_v2010.json}
STRIPE_SPEC=${STRIPE_SPEC:-$ROOT/../shared/specs/public/001-stripe-spec3.yaml}
GITHUB_SPEC=${GITHUB_SPEC:-$(go env GOMODCACHE)/github.com/ogen-go/ogen@$OGEN_VERSION/_testdata/examples/api.github.com.json}
KIIEX_SPEC=$ROOT/spec/kiiex.yaml

START=$(date +%s)
step() { printf '\n== [%4ds] %s\n' "$(($(date +%s) - START))" "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

rm -rf "$RES" "$MODS" "$WORK/clients" "$WORK/gocache-"* "$WORK/out-gogc"
mkdir -p "$BIN" "$RES" "$MODS" "$WORK/cfg"

main() {
step "machine"
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $(loadavg)"
go version

step "install oapi-codegen $OAPI_CODEGEN_VERSION and ogen $OGEN_VERSION (go install through the module proxy, into .work/bin)"
GOBIN=$BIN go install "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@$OAPI_CODEGEN_VERSION" &
p1=$!
GOBIN=$BIN go install "github.com/ogen-go/ogen/cmd/ogen@$OGEN_VERSION" &
p2=$!
wait $p1
wait $p2
"$BIN/oapi-codegen" -version | head -2 | tr '\n' ' '
echo
"$BIN/ogen" -version 2>&1 | head -1

step "build kiiexgen (../cmd/kiiexgen) and the bench tools"
(cd "$ROOT" && go build -o "$BIN/kiiexgen" ./cmd/kiiexgen)
go build -o "$BIN/" ./cmd/bt ./cmd/phases
KIIEXGEN_REV=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain -- cmd generator templates spec 2>/dev/null)" ]; then
	KIIEXGEN_REV="$KIIEXGEN_REV+dirty"
fi
BT=$BIN/bt
"$BT" facts -o "$RES/facts.json" \
	-set "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
	-set "go=$(go version | cut -d' ' -f3-)" \
	-set "kiiexgen=$KIIEXGEN_REV" \
	-set "oapi-codegen=$OAPI_CODEGEN_VERSION" \
	-set "ogen=$OGEN_VERSION" \
	-set "oapi-runtime=$OAPI_RUNTIME_VERSION" \
	-set "loadavg_start=$(loadavg)"

# The generators' configurations: models + client for oapi-codegen; ogen
# with the server-side features off (a client, like the other two).
cat >"$WORK/cfg/ogen.yml" <<'EOF'
generator:
  features:
    disable:
      - paths/server
      - webhooks/server
      - ogen/unimplemented
EOF
# gen_cmd TOOL INPUT SPEC OUTDIR: the generator command line.
gen_cmd() {
	case $1 in
	kiiexgen) echo "$BIN/kiiexgen -spec $3 -out $4 -package client" ;;
	oapi)
		printf 'package: client\ngenerate:\n  models: true\n  client: true\noutput: %s\n' "$4/client.gen.go" >"$WORK/cfg/oapi-$2.yaml"
		echo "$BIN/oapi-codegen -config $WORK/cfg/oapi-$2.yaml $3"
		;;
	ogen) echo "$BIN/ogen --config $WORK/cfg/ogen.yml --clean --target $4 --package client $3" ;;
	esac
}

declare -A SPECS=([kiiex]=$KIIEX_SPEC [twilio]=$TWILIO_SPEC)
INPUTS=(kiiex)
if [ -f "$TWILIO_SPEC" ]; then
	INPUTS+=(twilio)
else
	echo "Twilio spec not found at $TWILIO_SPEC: skipping it"
	"$BT" facts -o "$RES/facts.json" -set "skip_twilio=$TWILIO_SPEC not found" -set "skip_phases=$TWILIO_SPEC not found"
fi
TOOLS=(kiiexgen oapi ogen)

# alt_gen INPUT RUNS TOOL...: time the generators on one input, taking
# turns (bt alt), so that the ratios hold on a shared machine.
alt_gen() {
	local in=$1 runs=$2 args=() tool
	shift 2
	for tool in "$@"; do
		args+=(-c "generate $in/$tool;$RES/gen_${in}_$tool.json;$MODS/${in}_$tool/client;$(gen_cmd "$tool" "$in" "${SPECS[$in]}" "$MODS/${in}_$tool/client")")
	done
	"$BT" alt -n "$runs" -warmup 1 "${args[@]}" || true
}

OK_MODS=()
for in in "${INPUTS[@]}"; do
	spec=${SPECS[$in]}
	step "generate $in: median of $GEN_RUNS runs each, the generators taking turns (output directory emptied before every run)"
	alt_gen "$in" "$GEN_RUNS" "${TOOLS[@]}"
	for tool in "${TOOLS[@]}"; do
		mod=$MODS/${in}_$tool
		out=$mod/client
		if ! grep -q '"ok": true' "$RES/gen_${in}_$tool.json"; then
			continue
		fi
		# A throwaway module around the generated package, with the
		# runtime libraries pinned to the generator's own versions.
		(
			cd "$mod"
			cat >go.mod <<EOF
module benchmod/$in/$tool

go $(go env GOVERSION | sed 's/^go//')
EOF
			case $tool in
			oapi) go mod edit -require "github.com/oapi-codegen/runtime@$OAPI_RUNTIME_VERSION" ;;
			ogen) go mod edit -require "github.com/ogen-go/ogen@$OGEN_VERSION" ;;
			esac
			go mod tidy >/dev/null 2>"$RES/tidy_${in}_$tool.err" || true
		)
		"$BT" loc -o "$RES/loc_${in}_$tool.json" "$out"
		"$BT" deps -o "$RES/deps_${in}_$tool.json" "$mod"
		if grep -q '"ok": true' "$RES/deps_${in}_$tool.json"; then
			OK_MODS+=("${in}_$tool")
		fi
		printf '    %s\n' "$(tr -d '\n ' <"$RES/loc_${in}_$tool.json"), third-party modules: $(grep -c '@' "$RES/deps_${in}_$tool.json" || true)"
	done
done

# Generation only (the code is not compiled): the large specs of the issue
# of generation speed, kiiexgen against oapi-codegen.
SPECS[stripe]=$STRIPE_SPEC
SPECS[github]=$GITHUB_SPEC
for in in stripe github; do
	if [ -f "${SPECS[$in]}" ]; then
		step "generate $in ($(wc -c <"${SPECS[$in]}") bytes): median of $LARGE_RUNS runs each, taking turns"
		alt_gen "$in" "$LARGE_RUNS" kiiexgen oapi
	else
		echo "$in spec not found at ${SPECS[$in]}: skipping it"
		"$BT" facts -o "$RES/facts.json" -set "skip_$in=${SPECS[$in]} not found"
	fi
done

if [ -f "$TWILIO_SPEC" ]; then
	step "kiiexgen on Twilio with GOGC=400 (how much of its time is GC)"
	"$BT" time -n "$GEN_RUNS" -warmup 1 -reset "$WORK/out-gogc" -env GOGC=400 -label "generate twilio/kiiexgen GOGC=400" \
		-o "$RES/gogc400_twilio_kiiexgen.json" -- "$BIN/kiiexgen" -spec "$TWILIO_SPEC" -out "$WORK/out-gogc" -package client || true
	rm -rf "$WORK/out-gogc"
fi

step "compile the standard library once into a seed GOCACHE (what the cold builds start from)"
SEED=$WORK/gocache-std
STD_PKGS=$(for m in "${OK_MODS[@]}"; do (cd "$MODS/$m" && go list -deps -f '{{if .Standard}}{{.ImportPath}}{{end}}' ./...); done | sort -u)
echo "$(echo "$STD_PKGS" | wc -l) standard packages"
rm -rf "$SEED"
# shellcheck disable=SC2086
"$BT" time -n 1 -warmup 0 -env "GOCACHE=$SEED" -dir "$MODS/${OK_MODS[0]}" -label "compile std lib (empty cache)" -o "$RES/std_seed.json" -- go build $STD_PKGS

step "compile each generated package: cold (fresh GOCACHE holding only the std lib; module cache warm), then the package alone"
for m in "${OK_MODS[@]}"; do
	label=${m/_//}
	CACHE=$WORK/gocache-$m
	if [ "$COLD_RUNS" = 1 ]; then
		# The cold build's own cache (std lib seed + what it compiled) is
		# then the warm cache of the package-only builds.
		cp -al "$SEED" "$CACHE"
		"$BT" time -n 1 -warmup 0 -env "GOCACHE=$CACHE" -dir "$MODS/$m" -label "compile cold   $label" -o "$RES/cold_$m.json" -- go build ./... || true
	else
		"$BT" time -n "$COLD_RUNS" -warmup 0 -gocache "$SEED" -dir "$MODS/$m" -label "compile cold   $label" -o "$RES/cold_$m.json" -- go build ./... || true
		cp -al "$SEED" "$CACHE"
		(cd "$MODS/$m" && GOCACHE=$CACHE go build ./... >/dev/null 2>&1) || true
	fi
	if grep -q '"ok": true' "$RES/cold_$m.json"; then
		# Package only: every run changes the generated package's hash
		# (bt -bust) so that exactly it recompiles.
		"$BT" time -n "$PKG_RUNS" -warmup 0 -bust "$MODS/$m/client" -env "GOCACHE=$CACHE" -dir "$MODS/$m" -label "compile pkg    $label" -o "$RES/pkg_$m.json" -- go build ./... || true
	fi
	rm -rf "$CACHE"
done

step "generated-code benchmarks (KIIEX clients of all three; -count $BENCH_COUNT -benchtime $BENCH_TIME)"
CL=$WORK/clients
mkdir -p "$CL"
cp "$BENCH"/clients/go.mod "$BENCH"/clients/go.sum "$BENCH"/clients/*.go "$CL/"
if "$BIN/kiiexgen" -spec "$KIIEX_SPEC" -out "$CL/kx" -package kx &&
	mkdir -p "$CL/oapi" &&
	printf 'package: oapi\ngenerate:\n  models: true\n  client: true\noutput: %s\n' "$CL/oapi/oapi.gen.go" >"$WORK/cfg/oapi-clients.yaml" &&
	"$BIN/oapi-codegen" -config "$WORK/cfg/oapi-clients.yaml" "$KIIEX_SPEC" &&
	"$BIN/ogen" --config "$WORK/cfg/ogen.yml" --clean --target "$CL/ogenc" --package ogenc "$KIIEX_SPEC" 2>/dev/null &&
	(cd "$CL" && go test -count=1 -run 'Test' -v . | grep -E '^(---|ok|FAIL|\s+bench_test)')
then
	(cd "$CL" && go test -run '^$' -bench . -benchmem -count "$BENCH_COUNT" -benchtime "$BENCH_TIME" .) | tee "$RES/clients.txt"
else
	echo "the generated clients do not build or disagree: benchmarks skipped"
	"$BT" facts -o "$RES/facts.json" -set "skip_clients=the generated clients did not build or disagree (see the run log)"
fi

if [ -f "$TWILIO_SPEC" ]; then
	step "phase split and CPU profile of kiiexgen on Twilio ($PHASE_RUNS iterations)"
	GODEBUG=profstackdepth=1024 "$BIN/phases" -spec "$TWILIO_SPEC" -n "$PHASE_RUNS" -root "$ROOT" \
		-o "$RES/phases.json" -cpuprofile "$RES/twilio.cpu.pprof" -memprofile "$RES/twilio.mem.pprof" ||
		"$BT" facts -o "$RES/facts.json" -set "skip_phases=the phases program failed (see the run log)"
	echo "profiles: $RES/twilio.cpu.pprof, $RES/twilio.mem.pprof (go tool pprof -http : $BIN/phases <profile>)"
fi

ELAPSED=$(($(date +%s) - START))
"$BT" facts -o "$RES/facts.json" -set "loadavg_end=$(loadavg)" -set "elapsed=$((ELAPSED / 60)) min $((ELAPSED % 60)) s"
step "report"
if [ -n "${NO_MD:-}" ]; then
	"$BT" report -results "$RES"
else
	"$BT" report -results "$RES" -md "$ROOT/BENCHMARKS.md"
fi
step "done in $((ELAPSED / 60)) min $((ELAPSED % 60)) s; results in $RES"
}

# Everything printed is also kept, and spliced into BENCHMARKS.md.
main 2>&1 | tee "$RES/run.log"
if [ -z "${NO_MD:-}" ]; then
	"$BIN/bt" report -md "$ROOT/BENCHMARKS.md" -log "$RES/run.log"
fi
