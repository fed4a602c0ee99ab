/**
 * Runs tests/ios-engine/harness.js in JavaScriptCore's shell without JIT (`jsc --useJIT=false`),
 * as iOS WeChat runs a mini-program, on one of the mini-program builds: the SDK's files (and the
 * Babel helpers WeChat's build added) become CommonJS factories in a prelude, the wasm is
 * decompressed here and handed over as a file.
 *
 *   const results = runInJsc({ build: 'miniprogram_dist', mode: 'bench', messages: 2000, runs: 5 });
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { MINI_PROGRAM_BUILDS } from '../js/support/builds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SDK_PACKAGE_PATH = 'miniprogram_npm/mobileimsdk-wasm';
const JSC_CANDIDATES = ['/usr/bin/jsc', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/jsc'];

/** The JavaScriptCore shell, or `null` (Debian: `apt-get install libjavascriptcoregtk-4.0-bin`). */
export function jscPath() {
  return JSC_CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

/** Every `.js` file under `dir`, as package paths under `prefix`. */
function scripts(dir, prefix) {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return scripts(file, posix.join(prefix, name));
    return name.endsWith('.js') ? [[posix.join(prefix, name), file]] : [];
  });
}

/**
 * @param {object} options
 * @param {keyof typeof MINI_PROGRAM_BUILDS} options.build
 * @param {'test' | 'bench' | 'calls' | 'profile'} options.mode `calls`: counts the `log_execution`
 *   calls of a wasm instrumented by binaryen's `--log-execution` (`wasm`), per id, over one round;
 *   `profile`: samples where the time goes (tests/ios-engine/harness.js)
 * @param {number} options.messages messages each way (per round in `bench`)
 * @param {number} [options.runs] rounds in `bench` (the best counts) and `profile`
 * @param {Uint8Array} [options.wasm] the module to load instead of the build's
 * @param {string[]} [options.jscFlags] more options for jsc (mode `profile`: `--sampleInterval=…`)
 * @returns {Record<string, any>} the harness's `RESULT` lines by name
 */
export function runInJsc({ build, mode, messages, runs = 1, wasm, jscFlags = [] }) {
  const jsc = jscPath();
  if (!jsc) throw new Error('jsc is missing: apt-get install libjavascriptcoregtk-4.0-bin');
  const packageDirs = MINI_PROGRAM_BUILDS[build]();
  const work = mkdtempSync(join(tmpdir(), 'imsdk-ios-engine-'));
  try {
    const wasmFile = join(work, 'mobileimsdk.wasm');
    writeFileSync(
      wasmFile,
      wasm ?? brotliDecompressSync(readFileSync(join(packageDirs[SDK_PACKAGE_PATH], 'mobileimsdk.wasm.br'))),
    );
    const modules = Object.entries(packageDirs)
      .flatMap(([prefix, dir]) => scripts(dir, prefix))
      .map(
        ([path, file]) =>
          `${JSON.stringify(path)}: function (module, exports, require) {${readFileSync(file, 'utf8')}\n}`,
      );
    const prelude = `var IOS_ENGINE = { mode: ${JSON.stringify(mode)}, wasmFile: ${JSON.stringify(wasmFile)}, messages: ${messages}, runs: ${runs}, modules: {\n${modules.join(',\n')}\n} };\n`;
    const script = join(work, 'ios-engine.js');
    writeFileSync(script, prelude + readFileSync(join(here, 'harness.js'), 'utf8'));
    let output;
    try {
      output = execFileSync(jsc, ['--useJIT=false', ...jscFlags, script], { encoding: 'utf8', timeout: 300_000 });
    } catch (error) {
      throw new Error(`jsc failed (${build}, ${mode}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
    const results = {};
    for (const line of output.split('\n')) {
      if (line.startsWith('RESULT ')) {
        const { name, value } = JSON.parse(line.slice('RESULT '.length));
        results[name] = value;
      } else if (line.trim()) {
        process.stderr.write(`[jsc] ${line}\n`);
      }
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
