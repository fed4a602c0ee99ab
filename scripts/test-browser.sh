#!/usr/bin/env bash
# Runs the real wasm in headless Chromium against two loopback devservers: one stock-like
# (port 3101) and one that drops idle sockets after 2 s (port 3102), for the reconnect test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

cargo build -q -p imsdk-devserver
server=target/debug/imsdk-devserver
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

log=target/devserver-browser.log
"$server" --listen 127.0.0.1:3101 2>>"$log" & pids+=($!)
"$server" --listen 127.0.0.1:3102 --idle-timeout 2s 2>>"$log" & pids+=($!)

for port in 3101 3102; do
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
timeout 600 wasm-pack test --headless --chrome -- --test browser
