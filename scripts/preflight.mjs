#!/usr/bin/env node
/**
 * What `npm test` and `npm run demo` need before they start. The npm dev dependencies are
 * installed here (`npm ci`) when missing; for a missing tool the run stops with the exact
 * command that installs it (`bash scripts/install-tools.sh` installs them all).
 *
 *   node scripts/preflight.mjs test     the `pretest` hook of `npm test`
 *
 * Only Node built-ins are used, so this runs before `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_TOOLS = 'bash scripts/install-tools.sh';
const WASM_PACK_VERSION = '0.15.0';
export const CHROMIUM = '/usr/bin/chromium';

const cargoBin = join(homedir(), '.cargo', 'bin');
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

/**
 * One prerequisite: `ok()` checks it; `fix` installs it alone; `INSTALL_TOOLS` installs it too
 * when `scripted` (given Rust).
 * @typedef {{what: string, ok: () => boolean, fix: string, scripted?: boolean}} Tool
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
    ok: () =>
      (output('rustup', ['target', 'list', '--installed']) ?? '').split('\n').includes('wasm32-unknown-unknown'),
    fix: 'rustup target add wasm32-unknown-unknown',
    scripted: true,
  },
  rustComponents: {
    what: 'rustfmt and clippy',
    ok: () => output('cargo', ['fmt', '--version']) !== null && output('cargo', ['clippy', '--version']) !== null,
    fix: 'rustup component add clippy rustfmt',
    scripted: true,
  },
  wasmBindgen: {
    what: `wasm-bindgen CLI ${lockedWasmBindgenVersion()} (the version Cargo.lock pins)`,
    ok: () => output('wasm-bindgen', ['--version']) === `wasm-bindgen ${lockedWasmBindgenVersion()}`,
    fix: `cargo install wasm-bindgen-cli --version ${lockedWasmBindgenVersion()} --force`,
    scripted: true,
  },
  nightlyWasm: {
    what: 'nightly Rust with rust-src and the wasm32 target (the MVP mini-program build)',
    ok: () =>
      (output('rustup', ['+nightly', 'component', 'list', '--installed']) ?? '').split('\n').includes('rust-src') &&
      (output('rustup', ['+nightly', 'target', 'list', '--installed']) ?? '')
        .split('\n')
        .includes('wasm32-unknown-unknown'),
    fix: 'rustup +nightly component add rust-src && rustup +nightly target add wasm32-unknown-unknown',
    scripted: true,
  },
  wasmTools: {
    what: 'wasm-tools (validates the mini-program wasm as MVP)',
    ok: () => output('wasm-tools', ['--version']) !== null,
    fix: 'cargo install wasm-tools --version 1.263.0',
    scripted: true,
  },
  wasmPack: {
    what: `wasm-pack ${WASM_PACK_VERSION}`,
    ok: () => output('wasm-pack', ['--version']) === `wasm-pack ${WASM_PACK_VERSION}`,
    fix: `cargo install wasm-pack --version ${WASM_PACK_VERSION} --force`,
    scripted: true,
  },
  chromium: {
    what: `Debian's chromium (${CHROMIUM})`,
    ok: () => existsSync(CHROMIUM),
    fix: 'apt-get install chromium (as root)',
    scripted: true,
  },
  chromedriver: {
    what: 'chromium-driver (chromedriver)',
    ok: () => output('chromedriver', ['--version']) !== null,
    fix: 'apt-get install chromium-driver (as root)',
    scripted: true,
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
  ],
});

/** A prerequisite is missing; the message says how to install it. */
export class MissingToolsError extends Error {}

/**
 * Throws a `MissingToolsError` naming every missing tool and the commands that install them.
 * @param {string[]} names keys of `TOOLS`
 * @param {string} task what they are needed for, e.g. "`npm test`"
 */
export function requireTools(names, task) {
  const missing = [...new Set(names)].map((name) => TOOLS[name]).filter((tool) => !tool.ok());
  if (missing.length === 0) return;
  const lines = [`${task} needs what this machine lacks:`, ...missing.map((tool) => `  - ${tool.what}: ${tool.fix}`)];
  if (missing.some((tool) => tool.scripted)) {
    const rust = TOOLS.cargo.ok() ? '' : ' (once Rust is installed)';
    lines.push(
      '',
      `The toolchain pieces are installed${rust}, as root from the repository root, by:`,
      `  ${INSTALL_TOOLS}`,
    );
  }
  throw new MissingToolsError(lines.join('\n'));
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
  console.log(`▸ npm ci (missing: ${missing.map(([name, version]) => `${name}@${version}`).join(', ')})`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
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
