#!/usr/bin/env node
import { jscPath, runInJsc } from '../../tests/ios-engine/run.mjs';
/**
 * `npm run bench`, the iOS engine: both mini-program builds (`miniprogram_dist/` and WeChat's
 * compiled output) in JavaScriptCore's shell without JIT and without TextEncoder/TextDecoder
 * (tests/ios-engine/), each path against its native floor timed side by side in the same jsc
 * process on the same frames, the best of five rounds of 2 000 messages:
 *   bench: ios-engine-receive value=<µs per frame> unit=us/frame ratio=<SDK / JSON.parse floor>
 *   bench: ios-engine-send value=<µs> unit=us/message ratio=<SDK / JSON.stringify floor>
 *   bench: ios-engine-instantiate-and-login value=<ms> unit=ms
 * each with `build=<build>`. A received frame is delivered, deduped, acked and handed to the app;
 * its floor parses the frame and its content. A send is `sendData` and the server's ack handled;
 * its floor stringifies the message. Without `jsc` it prints one line saying so.
 */
import { MINI_PROGRAM_BUILDS } from '../../tests/js/support/builds.mjs';

const MESSAGES = 2000;
const RUNS = 5;

function report(name, build, value, unit, ratio) {
  const rounded = Number(value.toPrecision(4));
  console.log(
    `bench: ${name} value=${rounded} unit=${unit}${ratio === undefined ? '' : ` ratio=${ratio.toFixed(1)}`} build=${build}`,
  );
}

if (!jscPath()) {
  console.log('bench: ios-engine skipped: jsc is not installed (Debian: apt-get install libjavascriptcoregtk-4.0-bin)');
} else {
  for (const build of Object.keys(MINI_PROGRAM_BUILDS)) {
    const r = runInJsc({ build, mode: 'bench', messages: MESSAGES, runs: RUNS });
    report(
      'ios-engine-receive',
      build,
      r['receive-us-per-frame'],
      'us/frame',
      r['receive-us-per-frame'] / r['receive-floor-us-per-frame'],
    );
    report(
      'ios-engine-send',
      build,
      r['send-us-per-message'],
      'us/message',
      r['send-us-per-message'] / r['send-floor-us-per-message'],
    );
    report('ios-engine-instantiate-and-login', build, r['instantiate-and-login-ms'], 'ms');
  }
}
