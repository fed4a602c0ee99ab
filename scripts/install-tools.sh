#!/usr/bin/env bash
# Installs the toolchain the build and the tests need, each only when missing or at the wrong
# version: the wasm32 target, wasm-bindgen-cli at the version Cargo.lock pins, wasm-pack,
# Debian's chromium and chromium-driver, and the nightly pieces for the MVP mini-program build.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$HOME/.cargo/bin:$PATH"

rustup target add wasm32-unknown-unknown >/dev/null
rustup component add clippy rustfmt >/dev/null
# The mini-program wasm is built with nightly -Zbuild-std for the MVP feature set.
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
rustup +nightly component add rust-src >/dev/null
rustup +nightly target add wasm32-unknown-unknown >/dev/null

lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

want_bindgen=$(lock_version wasm-bindgen)
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_bindgen" != "$want_bindgen" ]; then
  echo "installing wasm-bindgen-cli $want_bindgen"
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

want_wasm_pack=0.15.0
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$want_wasm_pack" ]; then
  echo "installing wasm-pack $want_wasm_pack"
  cargo install wasm-pack --version "$want_wasm_pack" --force
fi

want_wasm_tools=1.263.0
if [ "$(wasm-tools --version 2>/dev/null | awk '{print $2}')" != "$want_wasm_tools" ]; then
  echo "installing wasm-tools $want_wasm_tools (validates the mini-program wasm as MVP)"
  cargo install wasm-tools --version "$want_wasm_tools" --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "installing chromium and chromium-driver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v jsc >/dev/null; then
  echo "installing libjavascriptcoregtk-4.0-bin (jsc: the iOS engine tests and benchmark)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjavascriptcoregtk-4.0-bin >/dev/null
fi
