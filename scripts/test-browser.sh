#!/usr/bin/env bash
# Runs the real wasm in headless Chromium against two loopback devservers on free ports: one
# stock-like and one that drops idle sockets after 2 s, for the reconnect test. Their URLs reach
# the test at build time (IMSDK_BROWSER_SERVER, IMSDK_BROWSER_IDLE_CLOSING_SERVER).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

cargo build -q -p imsdk-devserver
server=target/debug/imsdk-devserver
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Starts a devserver on a free loopback port with the given arguments and sets `url` to the
# address it prints once it listens.
start_devserver() {
  local log="target/devserver-browser-${#pids[@]}.log"
  "$server" --listen 127.0.0.1:0 "$@" 2>"$log" &
  pids+=($!)
  for _ in $(seq 100); do
    url=$(grep -o -m1 'ws://127\.0\.0\.1:[0-9]*/websocket' "$log" || true)
    [[ -n "$url" ]] && return 0
    sleep 0.1
  done
  echo "devserver $* did not start within 10 s:" >&2
  cat "$log" >&2
  return 1
}

start_devserver
export IMSDK_BROWSER_SERVER="$url"
start_devserver --idle-timeout 2s
export IMSDK_BROWSER_IDLE_CLOSING_SERVER="$url"

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The suite takes seconds (about 25 with a first compile). In full `npm test` runs on a fresh
# clone the first attempt often waits without end (on the build machine, 2026-12-03: in five of
# six `.ci/run`s); run alone, or right after the Node suite, it passed every time (20 runs). In
# a hung attempt chromedriver's log ends at the runner's `Navigate` to its test page, waiting for
# the page to load, with no error; the zombies listed after it are what `timeout` killed, not the
# cause. Why the page does not load was not found. A hung attempt is stopped after 90 s (a passing
# one takes at most about 25), the processes started since and the end of chromedriver's log
# are printed (for the next diagnosis), and the suite is tried again, five times in all. A failing
# test fails at once, without a retry.
for attempt in 1 2 3 4 5; do
  status=0
  driver_log="target/chromedriver-attempt-$attempt.log"
  rm -f "$driver_log"
  CHROMEDRIVER_ARGS="--log-path=$driver_log" timeout 90 wasm-pack test --headless --chrome -- --test browser || status=$?
  [[ $status -ne 124 ]] && exit $status
  echo "test-browser: attempt $attempt: the browser suite did not finish within 90 s; what started since:" >&2
  ps -eo pid,ppid,pgid,stat,pcpu,etimes,args | awk 'NR == 1 || $6 <= 100' | cut -c1-220 >&2 || true
  echo "test-browser: the end of chromedriver's log ($driver_log):" >&2
  tail -n 40 "$driver_log" 2>/dev/null | cut -c1-300 >&2 || true
  pkill -f wasm-bindgen-test-runner || true
  pkill -f chromedriver || true
  pkill -f 'chromium.*--remote-debugging' || true
done
exit 124
