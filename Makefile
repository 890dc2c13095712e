# Barback: `make run` serves the demo bar, `make test` runs every check.
# Every target installs what it needs, idempotently, from the package registries only.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tools and Cargo's target dir live outside the clone, so fresh clones (CI) reuse a warm cache.
CACHE ?= $(HOME)/.cache/barback
TOOLS := $(CACHE)/tools
export PATH := $(TOOLS)/bin:$(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.7
WASM_BINDGEN_VERSION := 0.2.126
CARGO_FUZZ_VERSION := 0.13.2
# Tools are built without LTO: half the install time, no difference to what they produce.
QUICK_INSTALL := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SERVER := target/release/server

.PHONY: help run build test lint unit e2e load load-short bench bench-pages bench-code bench-phone lighthouse bench-tools fuzz tools rust-tools node-tools chromium target-dir clean image image-binary image-tools image-smoke cfn-lint

help:
	@echo "make run    build and serve the seeded demo bar on http://127.0.0.1:3000"
	@echo "make test   fmt, clippy (ssr + hydrate), tests on SQLite and PostgreSQL, Playwright"
	@echo "make build  release build: $(SERVER) and target/site"
	@echo "make bench  benchmarks that print figures (bench-pages and bench-code among them)"
	@echo "make lighthouse  Lighthouse (mobile) on the menu, a drink page and the bartender"
	@echo "make load   5 minutes of party load on the release build, then a lost/duplicated-order check"
	@echo "make fuzz   $(FUZZ_SECONDS) s of libFuzzer per fuzz target (server/fuzz)"
	@echo "make image  the container image $(IMAGE) (static binary, FROM scratch, buildah)"

## Running

run: build
	@$(SERVER) seed
	@$(SERVER) serve

build: rust-tools node-tools
	cargo leptos build --release --precompress --split
	python3 server/build/split_manifest.py target/site/pkg
	@echo "Built $(SERVER) and target/site"

## Testing

test: lint unit e2e load-short image-smoke
	@echo "All checks passed."

lint: rust-tools cfn-lint
	cargo fmt --all --check
	cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
	cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

# Integration tests run every case on SQLite and on PostgreSQL (127.0.0.1:5432, a fresh database per
# test). Under CI=true an unreachable PostgreSQL fails the run instead of being skipped.
unit: target-dir
	cargo test -p app --features ssr
	@echo "== integration tests: SQLite (and database-independent) =="
	cargo test -p server -- --skip postgres
	@echo "== integration tests: PostgreSQL =="
	cargo test -p server --test integration -- postgres

e2e: build chromium
	npx playwright test -c end2end/playwright.config.ts

## Load: the release server under a party's load (100 browse + 50 order requests/s from 300
## guests), then a database check that every accepted order exists exactly once. Fails on > 1 %
## errors (429s excluded) or any lost or duplicated order. `LOAD_DB=postgres` for PostgreSQL.
LOAD_SECONDS ?= 300

load: build
	LOAD_SECONDS=$(LOAD_SECONDS) cargo bench -p server --bench load

load-short: build
	@echo "== load: 30 seconds =="
	LOAD_SECONDS=30 cargo bench -p server --bench load

## The container image: the release server linked statically (musl) with its site files, assembled
## FROM scratch by buildah (vfs storage, chroot isolation): nothing is pulled from a registry.
## `make image-smoke` runs it against a fresh SQLite database (server/deploy/smoke.sh).
MUSL_TARGET := x86_64-unknown-linux-musl
IMAGE ?= localhost/barback:latest

image: build image-binary
	IMAGE=$(IMAGE) bash server/deploy/image.sh

image-binary: image-tools
	CC_$(subst -,_,$(MUSL_TARGET))=musl-gcc cargo build --release --target $(MUSL_TARGET) -p server --bin server

image-smoke: image
	IMAGE=$(IMAGE) bash server/deploy/smoke.sh

image-tools: target-dir
	@command -v buildah >/dev/null && command -v podman >/dev/null && command -v runc >/dev/null && command -v musl-gcc >/dev/null || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y buildah podman runc musl-tools; }
	@rustup target list --installed | grep -qx $(MUSL_TARGET) || rustup target add $(MUSL_TARGET)

# The AWS template (server/deploy/aws), checked by cfn-lint from PyPI.
CFN_LINT_VERSION := 1.58.0
CFN_LINT := $(TOOLS)/cfn-lint/bin/cfn-lint

cfn-lint:
	@$(CFN_LINT) --version 2>/dev/null | grep -q "$(CFN_LINT_VERSION)" || { \
	  python3 -m venv "$(TOOLS)/cfn-lint" && "$(TOOLS)/cfn-lint/bin/pip" install --quiet cfn-lint==$(CFN_LINT_VERSION); }
	$(CFN_LINT) server/deploy/aws/barback.yaml

## Benchmarks (figures, not pass/fail)

# Order placement latency at 50 orders/s and status-change → SSE delivery with 200 guests, on
# SQLite and on PostgreSQL; upload + finalise of a 5 MB photo; the bartender's time to first card
# (house recommender and Bedrock through the stub). Release build of the real router.
bench: bench-pages bench-code bench-phone
	@echo "== party benchmark: SQLite =="
	cargo bench -p server --bench party
	@echo "== party benchmark: PostgreSQL =="
	BENCH_DB=postgres cargo bench -p server --bench party
	@echo "== photo benchmark =="
	cargo bench -p server --bench photos
	@echo "== bartender benchmark =="
	cargo bench -p server --bench bartender

# The menu, a drink page and a static file against nginx serving the same bytes (wrk).
bench-pages: build bench-tools
	@echo "== pages against nginx =="
	bash server/benches/pages.sh

# The code a first visit downloads, per page (raw and brotli), and the total WASM size.
bench-code: build chromium
	@echo "== code per first visit =="
	node end2end/bench/first-visit.mjs

# How soon each guest page paints and takes input on a throttled phone (CPU 4x, 150 ms, 1.6 Mbit/s).
bench-phone: build chromium
	@echo "== guest pages on a slow phone =="
	node end2end/bench/phone.mjs

LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := $(TOOLS)/lighthouse/node_modules/.bin/lighthouse

lighthouse: build chromium
	@$(LIGHTHOUSE) --version 2>/dev/null | grep -qx "$(LIGHTHOUSE_VERSION)" || \
	  npm install --no-audit --no-fund --prefix "$(TOOLS)/lighthouse" lighthouse@$(LIGHTHOUSE_VERSION)
	LIGHTHOUSE="$(LIGHTHOUSE)" node end2end/bench/lighthouse.mjs

bench-tools:
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y wrk nginx-light; }

## Fuzzing: coverage-guided libFuzzer runs of every target in server/fuzz (the properties are in
## app/src/backend/fuzz.rs; `make test` runs the same properties on generated input, on stable).
## cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
FUZZ_SECONDS ?= 60
FUZZ := RUSTC_BOOTSTRAP=1 cargo fuzz

fuzz: target-dir
	@cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)" || \
	  $(QUICK_INSTALL) cargo install cargo-fuzz --version "$(CARGO_FUZZ_VERSION)" --locked --root "$(TOOLS)"
	@mkdir -p "$(CACHE)/fuzz-logs"
	@for target in $$($(FUZZ) list --fuzz-dir server/fuzz); do \
	  log="$(CACHE)/fuzz-logs/$$target.log"; \
	  echo "== fuzz $$target: $(FUZZ_SECONDS) s (log: $$log) =="; \
	  $(FUZZ) run --fuzz-dir server/fuzz --target-dir "$(CACHE)/fuzz-target" --sanitizer none "$$target" -- \
	    -max_total_time=$(FUZZ_SECONDS) -dict=server/fuzz/tokens.dict -print_final_stats=1 >"$$log" 2>&1 \
	    || { tail -n 40 "$$log"; exit 1; }; \
	  grep -E 'Done [0-9]+ runs|stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$$log" || true; \
	done

## Tools

tools: rust-tools node-tools chromium

target-dir:
	@if [ ! -e target ]; then mkdir -p "$(CACHE)/target" && ln -s "$(CACHE)/target" target; fi

rust-tools: target-dir
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo-leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || { \
	  echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (once, ~17 min on 2 cores)"; \
	  $(QUICK_INSTALL) cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked --features no_downloads --root "$(TOOLS)"; }
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || { \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  $(QUICK_INSTALL) cargo install wasm-bindgen-cli --version =$(WASM_BINDGEN_VERSION) --root "$(TOOLS)"; }

node-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	# `npm install` (not `npm ci`): it keeps the locked versions and tolerates the optional
	# per-platform packages npm leaves out of the lock file.
	npm install --no-audit --no-fund
	@touch $@

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

clean:
	rm -rf data end2end/.data end2end/.data-2 end2end/.data-3 end2end/test-results
