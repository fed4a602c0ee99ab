#!/usr/bin/env bash
# Installs everything `npm test` needs that is missing or at the wrong version (the wasm32
# target, nightly's rust-src, wasm-bindgen-cli at the version Cargo.lock pins, wasm-pack,
# wasm-tools, Debian's chromium and chromium-driver, the npm dev dependencies): the same steps
# `npm test` and `npm run demo` take by themselves (scripts/preflight.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/preflight.mjs test
