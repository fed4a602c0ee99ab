#!/usr/bin/env bash
# Every check and test suite of the project, in order of speed: formatting and lints, the native
# Rust tests (core simulation, devserver), the wasm build, the JS lint and typings, the Node
# mini-program suite, and the real wasm in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n=== %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check
step "clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32)"
cargo clippy -p mobileimsdk-wasm --target wasm32-unknown-unknown --features heap-reserve,word-memory,glue-writes-messages -- -D warnings
step "cargo test"
cargo test --workspace
step "JS lint"
npm run --silent lint
step "build"
npm run --silent build
step "size budget and MVP validation (npm run size)"
npm run --silent size
step "typings"
npm run --silent typecheck
step "mini-program suite (node --test)"
npm run --silent test:js
step "browser suite (wasm-pack test --headless --chrome)"
npm run --silent test:browser
step "demo: a scripted conversation in headless Chromium (npm run demo -- --once)"
npm run --silent demo -- --once
step "examples: uni-app and Taro built for WeChat and H5, run against a devserver (npm run examples:check)"
npm run --silent examples:check
step "quick soak: SDK instances under devserver chaos with a restart (npm run soak -- --quick)"
npm run --silent soak -- --quick
step "iOS engine: both mini-program builds in jsc --useJIT=false (tests/ios-engine; skipped without jsc)"
node --test tests/ios-engine/
