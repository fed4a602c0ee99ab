#!/usr/bin/env node
/**
 * What `npm test` and `npm run demo` need before they start, installed here when missing: the
 * Rust targets and components (rustup), the pinned CLIs (`cargo install` into
 * `$CARGO_HOME/bin`), Debian's chromium and chromium-driver (apt-get, as root or with sudo) and
 * the npm dev dependencies (`npm ci`). One progress line per install step, with the time it took;
 * what cannot be installed from here (Node.js, Rust itself) stops the run with what to do.
 *
 *   node scripts/preflight.mjs test     the `pretest` hook of `npm test`
 *
 * Only Node built-ins are used, so this runs before `npm ci`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WASM_PACK_VERSION = '0.15.0';
const WASM_TOOLS_VERSION = '1.263.0';
export const CHROMIUM = '/usr/bin/chromium';

/** Where `cargo install` puts binaries: `$CARGO_HOME/bin`, on the PATH of this process and its children. */
const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
if (!process.env.PATH.split(delimiter).includes(cargoBin)) {
  process.env.PATH = `${cargoBin}${delimiter}${process.env.PATH}`;
}

/** stdout of a command, or `null` if it cannot run. */
function output(command, args) {
  try {
    return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function lockedWasmBindgenVersion() {
  const match = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(readFileSync(join(root, 'Cargo.lock'), 'utf8'));
  return match ? match[1] : 'unknown';
}

const installedLines = (command, args) => (output(command, args) ?? '').split('\n');
const asRoot = (args) => (process.getuid?.() === 0 ? args : ['sudo', '-n', ...args]);
const cargoInstall = (crate, version) => () => [['cargo', 'install', crate, '--version', version, '--force']];
const aptInstall =
  (...packages) =>
  () => [
    asRoot(['apt-get', 'update', '-qq']),
    asRoot(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...packages]),
  ];

/**
 * One prerequisite: `ok()` checks it; `install()` lists the commands that install it (none: the
 * run stops and `fix` says what to do).
 * @typedef {{what: string, ok: () => boolean, install?: () => string[][], fix?: string}} Tool
 */

/** @type {Record<string, Tool>} */
const TOOLS = {
  node20: {
    what: `Node.js 20 or newer (this is ${process.version}; playwright-core needs 20)`,
    ok: () => Number(process.versions.node.split('.')[0]) >= 20,
    fix: 'install Node.js 20 or newer',
  },
  cargo: {
    what: 'Rust (cargo, rustup)',
    ok: () => output('cargo', ['--version']) !== null && output('rustup', ['--version']) !== null,
    fix: 'install Rust with rustup (the official installer), then open a new shell',
  },
  wasmTarget: {
    what: 'the wasm32-unknown-unknown Rust target',
    ok: () => installedLines('rustup', ['target', 'list', '--installed']).includes('wasm32-unknown-unknown'),
    install: () => [['rustup', 'target', 'add', 'wasm32-unknown-unknown']],
  },
  rustComponents: {
    what: 'rustfmt and clippy',
    ok: () => output('cargo', ['fmt', '--version']) !== null && output('cargo', ['clippy', '--version']) !== null,
    install: () => [['rustup', 'component', 'add', 'clippy', 'rustfmt']],
  },
  nightlyWasm: {
    what: 'nightly Rust with rust-src and the wasm32 target (the MVP mini-program build)',
    ok: () =>
      installedLines('rustup', ['+nightly', 'component', 'list', '--installed']).includes('rust-src') &&
      installedLines('rustup', ['+nightly', 'target', 'list', '--installed']).includes('wasm32-unknown-unknown'),
    install: () => [
      ...(installedLines('rustup', ['toolchain', 'list']).some((line) => line.startsWith('nightly'))
        ? []
        : [['rustup', 'toolchain', 'install', 'nightly', '--profile', 'minimal']]),
      ['rustup', '+nightly', 'component', 'add', 'rust-src'],
      ['rustup', '+nightly', 'target', 'add', 'wasm32-unknown-unknown'],
    ],
  },
  wasmBindgen: {
    what: `wasm-bindgen-cli ${lockedWasmBindgenVersion()} (the version Cargo.lock pins)`,
    ok: () => output('wasm-bindgen', ['--version']) === `wasm-bindgen ${lockedWasmBindgenVersion()}`,
    install: cargoInstall('wasm-bindgen-cli', lockedWasmBindgenVersion()),
  },
  wasmTools: {
    what: `wasm-tools ${WASM_TOOLS_VERSION} (validates the mini-program wasm as MVP)`,
    ok: () => output('wasm-tools', ['--version'])?.split(' ')[1] === WASM_TOOLS_VERSION,
    install: cargoInstall('wasm-tools', WASM_TOOLS_VERSION),
  },
  wasmPack: {
    what: `wasm-pack ${WASM_PACK_VERSION}`,
    ok: () => output('wasm-pack', ['--version']) === `wasm-pack ${WASM_PACK_VERSION}`,
    install: cargoInstall('wasm-pack', WASM_PACK_VERSION),
  },
  chromium: {
    what: `Debian's chromium (${CHROMIUM})`,
    ok: () => existsSync(CHROMIUM),
    install: aptInstall('chromium'),
  },
  chromedriver: {
    what: 'chromium-driver (chromedriver)',
    ok: () => output('chromedriver', ['--version']) !== null,
    install: aptInstall('chromium-driver'),
  },
  jsc: {
    what: "JavaScriptCore's shell (jsc: the iOS engine tests and benchmark)",
    ok: () => existsSync('/usr/bin/jsc'),
    install: aptInstall('libjavascriptcoregtk-4.0-bin'),
  },
};

/** What each task needs. */
export const NEEDS = Object.freeze({
  /** `npm run build` */
  build: ['cargo', 'wasmTarget', 'nightlyWasm', 'wasmBindgen'],
  /** the devserver */
  devserver: ['cargo'],
  /** `npm run demo -- --once` */
  headless: ['node20', 'chromium'],
  /** `npm test`: everything scripts/test-all.sh runs */
  test: [
    'node20',
    'cargo',
    'wasmTarget',
    'nightlyWasm',
    'rustComponents',
    'wasmBindgen',
    'wasmTools',
    'wasmPack',
    'chromium',
    'chromedriver',
    'jsc',
  ],
});

/** A prerequisite is missing and could not be installed; the message says what to do. */
export class MissingToolsError extends Error {}

/** `1m 32s` or `4.2 s`. */
function elapsed(since) {
  const seconds = (performance.now() - since) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
}

/**
 * Runs one install step, its output kept unless it fails; prints one line with its time.
 * @param {string} what @param {string[][]} commands
 */
function installStep(what, commands) {
  const started = performance.now();
  process.stdout.write(`▸ installing ${what}: ${commands.map((c) => c.join(' ')).join(' && ')} … `);
  for (const [command, ...args] of commands) {
    const run = spawnSync(command, args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) {
      console.log(`failed after ${elapsed(started)}`);
      const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
      throw new MissingToolsError(
        `${[command, ...args].join(' ')} failed${run.error ? `: ${run.error.message}` : ''}\n${log}`,
      );
    }
  }
  console.log(`done in ${elapsed(started)}`);
}

/**
 * Makes sure every named prerequisite is there, installing the missing ones in order; throws a
 * `MissingToolsError` for one that cannot be installed from here or whose install failed.
 * @param {string[]} names keys of `TOOLS`
 * @param {string} task what they are needed for, e.g. "`npm test`"
 */
export function requireTools(names, task) {
  const missing = [...new Set(names)].map((name) => TOOLS[name]).filter((tool) => !tool.ok());
  const manual = missing.filter((tool) => !tool.install);
  if (manual.length > 0) {
    const lines = manual.map((tool) => `  - ${tool.what}: ${tool.fix}`);
    throw new MissingToolsError([`${task} needs what this machine lacks:`, ...lines].join('\n'));
  }
  for (const tool of missing) {
    installStep(tool.what, /** @type {() => string[][]} */ (tool.install)());
    if (!tool.ok()) throw new MissingToolsError(`${tool.what}: still missing after its install step`);
  }
}

/** The dev dependencies package.json pins that node_modules does not hold at that version. */
function missingDevDependencies() {
  const { devDependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.entries(devDependencies).filter(([name, version]) => {
    const manifest = join(root, 'node_modules', name, 'package.json');
    return !existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).version !== version;
  });
}

/** Runs `npm ci` when a pinned dev dependency is missing from node_modules. */
export function ensureNodeModules() {
  const missing = missingDevDependencies();
  if (missing.length === 0) return;
  installStep(
    `the npm dev dependencies (missing: ${missing.map(([name, version]) => `${name}@${version}`).join(', ')})`,
    [['npm', 'ci', '--no-audit', '--no-fund']],
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const task = process.argv[2];
  if (task !== 'test') {
    console.error('usage: node scripts/preflight.mjs test');
    process.exit(2);
  }
  try {
    requireTools(NEEDS.test, '`npm test`');
    ensureNodeModules();
  } catch (error) {
    console.error(error instanceof MissingToolsError ? error.message : error);
    process.exit(1);
  }
}
