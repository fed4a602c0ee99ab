#!/usr/bin/env node
/**
 * The floor of a QoS table held in wasm, in the iOS engine (docs/performance.md, "The floor of a
 * wasm-held QoS table"): builds benches/lean-table (a pending table and a seen set, nothing
 * else) and runs its least client (benches/lean-table/miniprogram/) through the iOS-engine
 * harness's bench in `jsc --useJIT=false` (tests/ios-engine/), the same rounds, frames and floors
 * as `npm run bench`'s ios-engine lines for the SDK:
 *
 *   node benches/js/ios-engine-lean-table.mjs
 *
 * prints `lean-table receive=<µs per frame> ratio=<…>` and `lean-table send=<µs> ratio=<…>`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jscPath, runInJsc } from '../../tests/ios-engine/run.mjs';
import { MINI_PROGRAM_BUILDS, SDK_PACKAGE_PATH } from '../../tests/js/support/builds.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!jscPath()) throw new Error('jsc is missing: apt-get install libjavascriptcoregtk-4.0-bin');
const crate = join(root, 'benches', 'lean-table');
const targetDir = join(root, 'target', 'lean-table');
execFileSync(
  'cargo',
  ['build', '--release', '--target', 'wasm32-unknown-unknown', '--manifest-path', join(crate, 'Cargo.toml')],
  { stdio: 'inherit', env: { ...process.env, CARGO_TARGET_DIR: targetDir } },
);
const wasm = readFileSync(join(targetDir, 'wasm32-unknown-unknown', 'release', 'lean_table.wasm'));
const build = join(crate, 'miniprogram');
MINI_PROGRAM_BUILDS[build] = () => ({ [SDK_PACKAGE_PATH]: build });
const r = runInJsc({ build, mode: 'bench', messages: 2000, runs: 5, wasm });
const receive = r['receive-us-per-frame'];
const send = r['send-us-per-message'];
console.log(
  `lean-table receive=${receive.toFixed(2)} us/frame ratio=${(receive / r['receive-floor-us-per-frame']).toFixed(1)}`,
);
console.log(
  `lean-table send=${send.toFixed(2)} us/message ratio=${(send / r['send-floor-us-per-message']).toFixed(1)}`,
);
