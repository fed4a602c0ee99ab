#!/usr/bin/env node
/**
 * Builds benches/lean-table (a QoS table held in wasm, nothing else) and runs
 * ios-engine-lean-table.js in `jsc --useJIT=false`: the floor any SDK that keeps its QoS table in
 * wasm pays in the iOS engine, next to the same floors as `npm run bench`'s ios-engine lines
 * (docs/performance.md, "The floor of a wasm-held QoS table").
 *
 *   node benches/js/ios-engine-lean-table.mjs
 *
 * prints `lean-table receive=<µs per frame> ratio=<…>` and `lean-table send=<µs> ratio=<…>`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jscPath } from '../../tests/ios-engine/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const jsc = jscPath();
if (!jsc) throw new Error('jsc is missing: apt-get install libjavascriptcoregtk-4.0-bin');
const targetDir = join(root, 'target', 'lean-table');
execFileSync(
  'cargo',
  [
    'build',
    '--release',
    '--target',
    'wasm32-unknown-unknown',
    '--manifest-path',
    join(root, 'benches', 'lean-table', 'Cargo.toml'),
  ],
  { stdio: 'inherit', env: { ...process.env, CARGO_TARGET_DIR: targetDir } },
);
const wasmFile = join(targetDir, 'wasm32-unknown-unknown', 'release', 'lean_table.wasm');
const work = mkdtempSync(join(tmpdir(), 'imsdk-lean-table-'));
try {
  const script = join(work, 'lean-table.js');
  const body = readFileSync(join(root, 'benches', 'js', 'ios-engine-lean-table.js'), 'utf8');
  writeFileSync(script, `var LEAN_WASM = ${JSON.stringify(wasmFile)};\n${body}`);
  process.stdout.write(execFileSync(jsc, ['--useJIT=false', script], { encoding: 'utf8', timeout: 300_000 }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
