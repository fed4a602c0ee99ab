#!/usr/bin/env node
/**
 * Where the mini-program wasm spends its interpreted time, counted instead of timed: the function
 * entries and loop turns of a received frame, of a send and of its ack, from a copy of the
 * module instrumented by binaryen's `--log-execution`, run in `jsc --useJIT=false` on
 * `miniprogram_dist/` (tests/ios-engine/); then the wasm instructions executed, from a copy
 * with a counter per function incremented before each instruction; then, sampled by jsc's
 * profiler over five rounds of 2 000 each way, where the time itself goes, wasm and JavaScript
 * (the SDK's own, minified, as one row). Without JIT a call costs
 * about as much as 25 simple instructions and an instruction about 3 ns on the build machine
 * (docs/performance.md, "The iOS engine", "Counted wasm instructions"), so the counts follow
 * the cost without a timer's noise. Needs `jsc`, `wasm-tools` and a built
 * `js-glue/generated/miniprogram/`.
 *
 *   TOP=<rows> node benches/js/ios-engine-calls.mjs [messages]
 *
 * prints per path `calls: <path> entries+turns=<per item> entries=<per item>` and
 * `calls: <path> instructions=<per item>`, each followed by the functions with the most (12,
 * or `TOP`); then `profile: <path> samples=<n>`, the wasm exports' shares with what they call
 * (inclusive), and the functions with the largest shares of the samples (self).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jscPath, runInJsc } from '../../tests/ios-engine/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The mini-program flavour's wasm-opt passes (scripts/build.mjs), keeping the names. */
const WASM_OPT = ['-Oz', '--mvp-features', '--converge', '--low-memory-unused', '--reorder-functions', '-g'];
const TOP = Number(process.env.TOP) || 12;

/**
 * Per `log_execution` id, the function it logs and what: its entry, a loop turn, or an exit (not
 * counted), read from the text of the instrumented module. binaryen logs at each function's
 * start, at the top of each loop and before each return.
 * @param {string} wat
 */
function logPoints(wat) {
  const logIndex = /\(import "[^"]*" "log_execution" \(func \(;(\d+);\)/.exec(wat)?.[1];
  if (logIndex === undefined) throw new Error('the module has no log_execution import');
  /** @type {Map<string, {name: string, kind: 'entry' | 'loop' | 'exit'}>} */
  const points = new Map();
  let name = '?';
  let entered = false;
  let inLoop = false;
  let constant = null;
  for (const line of wat.split('\n')) {
    const func = /^ {2}\(func (?:\$"?(.*?)"? )?\(;(\d+);\)/.exec(line);
    if (func) {
      name = (func[1] ?? func[2]).replace(/\[[0-9a-f]+\]/g, '');
      entered = false;
      inLoop = false;
      continue;
    }
    const text = line.trim();
    if (text.startsWith('loop')) inLoop = true;
    if (text === `call ${logIndex}` && constant !== null) {
      points.set(constant, { name, kind: !entered ? 'entry' : inLoop ? 'loop' : 'exit' });
      entered = true;
      inLoop = false;
    }
    constant = /^i32\.const (-?\d+)$/.exec(text)?.[1] ?? null;
  }
  return points;
}

/**
 * `wat` (as `wasm-tools print` writes it) with an exported i64 global `instructions_<index>` per
 * function, incremented before each of its instructions; and the functions' names by index.
 * @param {string} wat
 */
function countingModule(wat) {
  /** @type {Map<string, string>} */
  const names = new Map();
  const out = [];
  let index = null;
  for (const line of wat.split('\n')) {
    const func = /^ {2}\(func (?:\$"?(.*?)"? )?\(;(\d+);\)/.exec(line);
    if (func) {
      index = func[2];
      names.set(index, (func[1] ?? index).replace(/\[[0-9a-f]+\]/g, ''));
    } else if (line === '  )') {
      index = null;
    } else if (index !== null && line.trim() !== '' && !line.trim().startsWith('(local')) {
      const indent = line.slice(0, line.length - line.trimStart().length);
      const counter = `$instructions_${index}`;
      out.push(
        `${indent}global.get ${counter}`,
        `${indent}i64.const 1`,
        `${indent}i64.add`,
        `${indent}global.set ${counter}`,
      );
    }
    out.push(line);
  }
  const end = out.lastIndexOf(')');
  const globals = [...names.keys()].map(
    (i) =>
      `  (global $instructions_${i} (mut i64) (i64.const 0))\n  (export "instructions_${i}" (global $instructions_${i}))`,
  );
  out.splice(end, 0, ...globals);
  return { wat: out.join('\n'), names };
}

/**
 * @param {string} path
 * @param {Record<string, number>} executions
 * @param {Map<string, {name: string, kind: string}>} points
 * @param {number} items
 */
function report(path, executions, points, items) {
  let all = 0;
  let entries = 0;
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  for (const [id, count] of Object.entries(executions)) {
    const point = points.get(id) ?? { name: `log ${id}`, kind: 'entry' };
    if (point.kind === 'exit') continue;
    all += count;
    if (point.kind === 'entry') entries += count;
    const key = point.kind === 'loop' ? `${point.name} (loop turns)` : point.name;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  }
  const per = (/** @type {number} */ n) => (n / items).toFixed(1);
  console.log(`calls: ${path} entries+turns=${per(all)} entries=${per(entries)}`);
  for (const [key, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${per(count).padStart(7)}  ${key.slice(0, 110)}`);
  }
}

/**
 * @param {string} path
 * @param {Record<string, number>} executions `instructions <function index>` → count
 * @param {Map<string, string>} names
 * @param {number} items
 */
function reportInstructions(path, executions, names, items) {
  const byFunction = Object.entries(executions)
    .filter(([key]) => key.startsWith('instructions '))
    .map(([key, count]) => [names.get(key.slice(13)) ?? key, count]);
  const all = byFunction.reduce((sum, [, count]) => sum + Number(count), 0);
  const per = (/** @type {number} */ n) => (n / items).toFixed(1);
  console.log(`calls: ${path} instructions=${per(all)}`);
  for (const [name, count] of byFunction.sort((a, b) => Number(b[1]) - Number(a[1])).slice(0, TOP)) {
    console.log(`  ${per(Number(count)).padStart(7)}  ${String(name).slice(0, 110)}`);
  }
}

/**
 * Prints a path's sampled profile (tests/ios-engine/harness.js, mode "profile").
 * @param {string} path @param {{samples: number, self: Record<string, number>, inclusive: Record<string, number>}} tally
 */
function reportProfile(path, tally) {
  const share = (/** @type {number} */ n) => `${((100 * n) / tally.samples).toFixed(1).padStart(5)}%`;
  console.log(`profile: ${path} samples=${tally.samples}`);
  for (const [name, n] of Object.entries(tally.inclusive).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${share(n)}  ${name.slice(0, 110)} (inclusive)`);
  }
  for (const [name, n] of Object.entries(tally.self)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)) {
    console.log(`  ${share(n)}  ${name.slice(0, 110)}`);
  }
}

if (!jscPath()) {
  console.log('calls: skipped: jsc is not installed (Debian: apt-get install libjavascriptcoregtk-4.0-bin)');
} else {
  const messages = Number(process.argv[2] ?? 500);
  const work = mkdtempSync(join(tmpdir(), 'imsdk-calls-'));
  try {
    const wasmOpt = (/** @type {string[]} */ args) =>
      execFileSync(process.execPath, [join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt'), ...args]);
    const named = join(work, 'named.wasm');
    const logged = join(work, 'logged.wasm');
    wasmOpt([join(root, 'js-glue', 'generated', 'miniprogram', 'mobileimsdk_wasm_bg.wasm'), ...WASM_OPT, '-o', named]);
    wasmOpt([named, '--mvp-features', '-g', '--log-execution', '-o', logged]);
    const points = logPoints(execFileSync('wasm-tools', ['print', logged], { encoding: 'utf8', maxBuffer: 1 << 28 }));
    const results = runInJsc({ build: 'miniprogram_dist', mode: 'calls', messages, wasm: readFileSync(logged) });
    report('receive (per frame)', results['receive-executions'], points, messages);
    report('send (per message)', results['send-executions'], points, messages);
    report('ack (per ack of a sent message)', results['ack-executions'], points, messages);
    const counting = countingModule(
      execFileSync('wasm-tools', ['print', named], { encoding: 'utf8', maxBuffer: 1 << 28 }),
    );
    const counted = join(work, 'counted.wasm');
    writeFileSync(join(work, 'counted.wat'), counting.wat);
    execFileSync('wasm-tools', ['parse', join(work, 'counted.wat'), '-o', counted]);
    const instructions = runInJsc({ build: 'miniprogram_dist', mode: 'calls', messages, wasm: readFileSync(counted) });
    reportInstructions('receive (per frame)', instructions['receive-executions'], counting.names, messages);
    reportInstructions('send (per message)', instructions['send-executions'], counting.names, messages);
    reportInstructions('ack (per ack of a sent message)', instructions['ack-executions'], counting.names, messages);
    const profiled = runInJsc({
      build: 'miniprogram_dist',
      mode: 'profile',
      messages: 2000,
      runs: 5,
      wasm: readFileSync(named),
      // Every 100 µs: at 30 µs this jsc (WebKitGTK 2.50) crashed now and then.
      jscFlags: ['--sampleInterval=100'],
    });
    reportProfile('receive', profiled['profile-receive']);
    reportProfile('send with its ack', profiled['profile-send']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
