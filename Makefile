# rampart: `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PYTHON := /usr/bin/python3
BUILD := build
ASAN_BUILD := build-asan
FUZZ_BUILD := build-fuzz

.PHONY: all deps build build-asan unit integration test demo bench bench-waf fuzz format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DRAMPART_TESTS=OFF

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS) rampart

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRAMPART_SANITIZE=ON

# The unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer.
build-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(JOBS) unit_tests

unit: build-asan
	set -o pipefail; cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) 2>&1 | tail -n 25

integration: build
	RAMPART_BIN=$(CURDIR)/$(BUILD)/rampart $(PYTHON) -m pytest tests/integration -q -p no:cacheprovider

test: deps build unit integration

demo: build
	@scripts/demo

bench: build
	bench/proxy.sh

# The detection library's Google Benchmark: time per request and MB/s (bench/waf_micro.cpp).
bench-waf: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS) bench_waf
	$(BUILD)/src/waf/bench_waf

fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRAMPART_FUZZ=ON -DRAMPART_TESTS=OFF
	ninja -C $(FUZZ_BUILD) -j $(JOBS) fuzz_targets

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
