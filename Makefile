# CallStream: every target installs what it needs first (Debian/Ubuntu, apt-get; sudo when not root).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# postgresql and chromium: the sink tests start a throwaway server and a headless browser.
APT_PACKAGES := librdkafka-dev pkg-config kcat wrk postgresql chromium
# Only `make bench` counts instructions (callgrind on a copy without DWARF, which objcopy makes).
BENCH_APT_PACKAGES := valgrind binutils
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

.PHONY: all deps build test test-unit test-integration demo bench bench-quick bench-deps clean

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

## test: unit tests, then integration tests against the embedded broker.
test: build
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build

test-unit: build
	$(SWIFT) test --skip-build --filter 'CallEventsTests|CallAssemblyTests|ConfigurationTests|WorkerStateTests|StructuredLogHandlerTests|MemberAssignmentTests|DeploymentTests|SinkRunnerStateTests'

test-integration: build
	CALLSTREAM_BIN=$(CURDIR)/$(DEBUG_BIN)/callstream $(SWIFT) test --skip-build --filter 'KafkaIntegrationTests|WorkerTests|SinkTests'

## demo: `callstream dev` (embedded broker + intake + worker); the sample calls posted over HTTP,
## the completed records printed, then a summary.
demo: deps
	$(SWIFT) build --product callstream
	$(DEBUG_BIN)/callstream dev --port 0 --post-samples config/samples --exit-when-done

## bench: release build; the wrapper next to kcat, the worker, the intake, the assembler and its
## instruction counts; writes BENCHMARKS.md.
bench: deps bench-deps
	$(SWIFT) build -c release --product callstream-bench
	$(SWIFT) build -c release --product callstream-instructions
	$(RELEASE_BIN)/callstream-bench --markdown BENCHMARKS.md

bench-quick: deps bench-deps
	$(SWIFT) build -c release --product callstream-bench
	$(SWIFT) build -c release --product callstream-instructions
	$(RELEASE_BIN)/callstream-bench --messages 12000 --calls 5000 --seconds 2

bench-deps:
	$(call apt_install_missing,$(BENCH_APT_PACKAGES))

clean:
	rm -rf .build .build-output.log
