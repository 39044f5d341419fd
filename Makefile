# kiiexgen developer tasks. `make test` is what CI runs.
GO ?= go

.PHONY: all generate test test-notes corpus sweep check lint fuzz bench scaling corpus-scaling

all: generate test

# Regenerate the checked-in KIIEX client from spec/kiiex.yaml.
generate:
	$(GO) generate ./...

# The everyday suite: vet, unit and golden tests (generated code is compiled
# and exercised; every fuzz target's seed corpus runs as a plain test), race
# detector over the runtime and the generated client, and a short fuzz run of
# the targets whose packages build quickly (the runtime, whose tests add only the
# small gorilla/websocket, and the generated client). Fuzzing the loader and
# the generator instruments kin-openapi and takes minutes to build from an
# empty cache, so those run in `make fuzz`, not here. Every public spec is
# generated; compiling all their packages is `make corpus`.
test:
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...
	$(GO) test -race ./templates/... ./generated/...
	$(MAKE) fuzz FUZZTIME=1000x FUZZPKGS="./templates/... ./generated/..."
	@$(MAKE) -s test-notes

# Say which data-dependent tests could not run: t.Skip is silent in a normal
# `go test ./...`, so a green run would otherwise hide that the real-spec
# corpora were never read.
test-notes:
	@test -d ../shared/specs || echo "NOTE: ../shared/specs not found: the real-spec corpus tests (legacy KIIEX docs, public vendor specs, example payloads) were skipped"
	@test -d "$$($(GO) env GOMODCACHE)/github.com/ogen-go/ogen@v1.24.0" || echo "NOTE: ogen v1.24.0 is not in the module cache: TestPublicCorpusCompiles (ogen's 91 bundled specs) was skipped; go mod download github.com/ogen-go/ogen@v1.24.0 fetches it"
	@echo "make test compiled the packages of the public specs up to 512 KiB and compared loads of specs up to 300 KiB; make corpus does all of them"

# The real-spec corpora in full (minutes): every public vendor spec's
# generated package and fake compiled and vetted, the loader's tree/text and
# JSON/YAML equivalence over every spec however large, ogen's bundled specs,
# and the scaling shapes. make test runs the same tests on a sample.
corpus:
	KIIEXGEN_CORPUS=1 $(GO) test -timeout 60m -count=1 -run 'TestPublicSpecsGenerate|TestCorpusCompiles|TestPublicCorpusCompiles|TestScalingShapes|TestTreeDecodeSameAsText|TestJSONDecodeSamePositions|TestKinTreeIsParsedEmit|TestDocFindingsSameAsValidate|TestParallelDecodeSameAsWhole|TestParallelKinTreeSameAsOne|TestParallelOriginsSameAsOne|TestSplitParseSameAsWhole|TestEmitterPublicCorpus|TestGOROOT|TestOneLineWidth|TestPlainDoc' ./generator/...

# Every OpenAPI document in the module cache through kiiexgen (minutes):
# fails on a panic or a hang, lists refusals, vets what generated.
sweep:
	bench/sweep.sh

# Fail when generated/ is stale (what downstream CI does with -check).
check:
	$(GO) run ./cmd/kiiexgen -out generated/kiiex -package kiiex -fake -check

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# FUZZTIME is a duration (5m) or an iteration count (20000x). make test uses a
# count: with a short duration, go test -fuzz can fail with "context deadline
# exceeded" when the time runs out while it is still replaying the cached corpus.
# FUZZPKGS limits the packages (default: all).
FUZZTIME ?= 30s
FUZZPKGS ?= ./...
fuzz:
	@set -e; for pkg in $$($(GO) list $(FUZZPKGS)); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

bench:
	cd bench && ./run.sh

# Generation time against spec size, per spec shape (linear: ~2x per step).
scaling:
	bench/scaling.sh

# Generation time against spec size over the public corpus, with a linear fit.
corpus-scaling:
	bench/corpus.sh
