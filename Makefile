# CallStream: every target installs what it needs first (Debian/Ubuntu, apt-get; sudo when not root).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# libjemalloc-dev: the executables that run a worker link jemalloc (Package.swift says why).
# postgresql and chromium: the sink tests start a throwaway server and a headless browser.
APT_PACKAGES := librdkafka-dev libjemalloc-dev pkg-config kcat wrk postgresql chromium
# Only `make bench` counts instructions (callgrind on a copy without DWARF, which objcopy makes)
# and runs the Python reference peer (bench/peer) from a venv of its own.
BENCH_APT_PACKAGES := valgrind binutils python3-venv
PEER_VENV := .build/peer-venv
DEBUG_BIN := .build/debug
RELEASE_BIN := .build/release

# Installs the Debian packages of $(1) that are missing (apt-get update first).
define apt_install_missing
	@missing=""; \
	for package in $(1); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

.PHONY: all deps build test test-unit test-integration demo bench bench-quick bench-deps reliability soak fuzz fuzz-build clean

all: build

## deps: install the system packages the build and tests need, when missing.
deps:
	$(call apt_install_missing,$(APT_PACKAGES))
	@command -v $(SWIFT) >/dev/null || { echo "error: no Swift toolchain on PATH (Swift 6.1 or later)"; exit 1; }

## build: debug build of everything; fails on any warning in our own sources.
build: deps
	@$(SWIFT) build --build-tests 2>&1 | tee .build-output.log | grep -E 'error:|warning:|Compiling|Build complete' | grep -v '/.build/' || true
	@if grep -E '^/.*(Sources|Tests)/.*: warning:' .build-output.log | grep -v '/.build/' | sort -u | grep .; then \
		echo "error: the build printed warnings (above)"; exit 1; fi
	@grep -q 'error:' .build-output.log && { grep 'error:' .build-output.log | head -20; exit 1; } || true

## test: unit tests and integration tests against the embedded broker; then, each on a quiet
## machine of its own, the sinks' tests (PostgreSQL, headless Chromium) and the short reliability
## tests (real processes under load), which would otherwise starve the timing of the others.
HEAVY_SUITES := SinkTests|ReliabilityTests|SoakTests
test: build
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --skip '$(HEAVY_SUITES)'
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'SinkTests'
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'ReliabilityTests|SoakTests'

test-unit: build
	$(SWIFT) test --skip-build --filter 'CallEventsTests|CallAssemblyTests|ConfigurationTests|WorkerStateTests|StructuredLogHandlerTests|MemberAssignmentTests|KafkaHeadersTests|ConsumerEventBufferTests|EventLoopTaskExecutorTests|DeploymentTests|SinkRunnerStateTests|InvariantCheckerTests'

test-integration: build
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'KafkaIntegrationTests|WorkerTests|SinkTests'

## demo: `callstream dev` (embedded broker + intake + worker); the sample calls posted over HTTP,
## the completed records printed, then a summary.
demo: deps
	$(SWIFT) build --product callstream
	$(DEBUG_BIN)/callstream dev --port 0 --post-samples config/samples --exit-when-done

## bench: release build; the wrapper next to kcat, the worker (`callstream replay`), the intake, the Python reference
## peer, the assembler and its instruction counts; writes BENCHMARKS.md.
bench: deps bench-deps
	$(SWIFT) build -c release --product callstream-bench
	$(SWIFT) build -c release --product callstream
	$(SWIFT) build -c release --product callstream-instructions
	$(RELEASE_BIN)/callstream-bench --markdown BENCHMARKS.md

bench-quick: deps bench-deps
	$(SWIFT) build -c release --product callstream-bench
	$(SWIFT) build -c release --product callstream
	$(SWIFT) build -c release --product callstream-instructions
	$(RELEASE_BIN)/callstream-bench --messages 12000 --calls 5000 --seconds 2 --skip peer

## bench-deps: the bench's Debian packages, and the peer's venv with bench/peer/requirements.txt
## (made again only when that file changed).
bench-deps:
	$(call apt_install_missing,$(BENCH_APT_PACKAGES))
	@if ! cmp -s bench/peer/requirements.txt $(PEER_VENV)/requirements.txt; then \
		echo "creating $(PEER_VENV) from bench/peer/requirements.txt"; \
		rm -rf $(PEER_VENV); \
		python3 -m venv $(PEER_VENV); \
		$(PEER_VENV)/bin/pip install -q --disable-pip-version-check -r bench/peer/requirements.txt; \
		cp bench/peer/requirements.txt $(PEER_VENV)/requirements.txt; \
	fi

## reliability (long, on demand): the reliability tests in their long form (20 SIGKILL trials, longer
## faults and outages), the soak (SOAK_MINUTES, default 30, at half the measured maximum rate), then
## the fuzzer (also when a test failed); figures appended to RELIABILITY_REPORT. The short form runs
## inside `make test`.
SOAK_MINUTES ?= 30
RELIABILITY_REPORT ?= $(CURDIR)/.build/reliability-report.txt
reliability: build
	rm -f $(RELIABILITY_REPORT)
	status=0; \
	CALLSTREAM_RELIABILITY=long SOAK_MINUTES=$(SOAK_MINUTES) CALLSTREAM_RELIABILITY_REPORT=$(RELIABILITY_REPORT) \
		CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'ReliabilityTests' || status=$$?; \
	$(MAKE) fuzz || status=$$?; \
	echo "figures: $(RELIABILITY_REPORT)"; \
	exit $$status

## soak: only the soak, SOAK_MINUTES minutes (default 30).
soak: build
	SOAK_MINUTES=$(SOAK_MINUTES) CALLSTREAM_RELIABILITY_REPORT=$(RELIABILITY_REPORT) \
		CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'SoakTests'

## fuzz: libFuzzer over event decoding and call assembly, FUZZ_RUNS runs (default 10^6) from the
## corpus in Tests/Fuzz/corpus (new finds go to .build/fuzz/corpus). CallEvents and CallAssembly are
## compiled by swiftc with -sanitize=fuzzer,address outside the package build, which stays
## uninstrumented.
FUZZ_DIR := .build/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_FLAGS := -sanitize=fuzzer,address -parse-as-library -O -swift-version 6 \
	-enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault
fuzz-build: deps
	mkdir -p $(FUZZ_DIR)/corpus
	rm -f $(FUZZ_DIR)/callstream-fuzz
	swiftc $(FUZZ_FLAGS) -emit-module -emit-library -static -module-name CallEvents \
		-emit-module-path $(FUZZ_DIR)/CallEvents.swiftmodule -o $(FUZZ_DIR)/libCallEvents.a Sources/CallEvents/*.swift
	swiftc $(FUZZ_FLAGS) -I $(FUZZ_DIR) -emit-module -emit-library -static -module-name CallAssembly \
		-emit-module-path $(FUZZ_DIR)/CallAssembly.swiftmodule -o $(FUZZ_DIR)/libCallAssembly.a Sources/CallAssembly/*.swift
	swiftc $(FUZZ_FLAGS) -I $(FUZZ_DIR) Tests/Fuzz/FuzzTarget.swift $(FUZZ_DIR)/libCallAssembly.a $(FUZZ_DIR)/libCallEvents.a \
		-o $(FUZZ_DIR)/callstream-fuzz 2>&1 | { grep -v 'Cannot export local symbol' || true; }
	test -x $(FUZZ_DIR)/callstream-fuzz

fuzz: fuzz-build
	$(FUZZ_DIR)/callstream-fuzz $(FUZZ_DIR)/corpus Tests/Fuzz/corpus -runs=$(FUZZ_RUNS) -max_len=8192 -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
		| grep -v '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)' | tail -25

clean:
	rm -rf .build .build-output.log
