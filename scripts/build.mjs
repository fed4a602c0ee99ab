#!/usr/bin/env node
/**
 * `npm run build`: the Rust crate → wasm → the npm package's two builds.
 *
 * Two wasm flavours: the browser's (stable Rust, default wasm32 features, opt-level 3) and the
 * mini-program's (nightly Rust rebuilding std for the pure MVP feature set, which every WeChat
 * accepts, iOS before 14.5 included, with `panic=immediate-abort` so no panic formatting ships).
 * For each flavour:
 *   1. cargo build --release --target wasm32-unknown-unknown -p mobileimsdk-wasm
 *   2. wasm-bindgen --target web → js-glue/generated/<flavour>/ (the CLI must match Cargo.lock's
 *      wasm-bindgen), then the "expose init internals" step: an export of the glue's private
 *      `__wbg_get_imports` / `__wbg_finalize_init` is appended, for our own loaders
 *      (js-glue/src/wasm-loader.js); its classes become constructor functions (withoutClasses), and
 *      the mini-program's memory views are renewed when the memory's buffer changes, not when
 *      the old one is detached (viewsComparedByBuffer), and its wasm's imports and exports are
 *      renamed to numbers in the wasm and the glue alike (withShortBoundaryNames)
 *   3. wasm-opt -Oz (npm `binaryen`) with exactly the flavour's features; the mini-program's
 *      wasm also loses its Global exports (iOS WXWebAssembly exports only functions, memory and
 *      tables), which the generated glue must not use
 * Then:
 *   4. esbuild: dist/index.js (browser ESM, wasm next to it) and miniprogram_dist/index.js
 *      (CommonJS: ESM with its final export rewritten to `module.exports`; es2017,
 *      TextEncoder/TextDecoder injected from js-glue/src/text-codec.js, the generated glue
 *      resolved to the mini-program flavour's; `let` and `const` lowered to `var` by Babel,
 *      then minified again by terser)
 *   5. brotli (node:zlib) → miniprogram_dist/mobileimsdk.wasm.br
 *
 * Steps 2–3 are skipped when their outputs are newer than the cargo artifact. The typings ship
 * in dist/ only: TypeScript resolves them from node_modules, and every byte in miniprogram_dist/
 * counts against the mini-program's package size.
 */
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { transformAsync } from '@babel/core';
import { build } from 'esbuild';
import { minify } from 'terser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => join(root, ...parts);
const CRATE = 'mobileimsdk-wasm';
const WASM_TARGET = 'wasm32-unknown-unknown';
const EXPOSE_INIT_INTERNALS = '\nexport { __wbg_get_imports, __wbg_finalize_init };\n';
/** Their declarations, appended to the generated `.d.ts` so that the loaders type-check. */
const EXPOSE_INIT_INTERNALS_TYPES =
  '\nexport function __wbg_get_imports(): Record<string, any>;\n' +
  'export function __wbg_finalize_init(instance: object, module?: object): unknown;\n';

/**
 * @typedef {object} Flavour
 * @property {string} name
 * @property {string[]} cargo the cargo command line (toolchain first)
 * @property {Record<string, string>} env extra environment for cargo
 * @property {string} targetDir cargo's target directory
 * @property {string} generatedDir where wasm-bindgen writes
 * @property {string[]} wasmOptFlags the features wasm-opt may keep (exactly what the build uses)
 *   and the flavour's extra passes
 * @property {boolean} exportsOnlyFunctionsAndMemory whether the wasm's Global exports are removed
 *   before wasm-opt (iOS WXWebAssembly rejects a module that exports a Global)
 */

/** @param {string} name @param {string} targetDir @param {string[]} toolchain */
function flavour(name, targetDir, toolchain, extra, env, wasmOptFlags, exportsOnlyFunctionsAndMemory = false) {
  return {
    name,
    cargo: [...toolchain, 'build', '--release', '--target', WASM_TARGET, '-p', CRATE, ...extra],
    env: { ...env, CARGO_TARGET_DIR: targetDir },
    targetDir,
    generatedDir: at('js-glue', 'generated', name),
    wasmOptFlags,
    exportsOnlyFunctionsAndMemory,
  };
}

/**
 * The browser's wasm: stable Rust with the default wasm32 features, optimized for speed (no size
 * budget applies to a web page; `npm run bench` measures this build).
 */
const BROWSER = flavour('browser', at('target'), [], [], { CARGO_PROFILE_RELEASE_OPT_LEVEL: '3' }, [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--enable-multivalue',
]);

/**
 * The mini-program's wasm: pure MVP (no sign-extension opcodes: iOS before 14.5 lacks them), no
 * panic formatting, no source locations (`-Zlocation-detail=none`: an abort has no message to
 * put them in; without them the size no longer depends on line numbers or on where the build
 * machine keeps crates), the heap an ordinary session needs reserved when the module starts
 * (feature `heap-reserve`, src/wasm/heap.rs), so that the memory does not grow after that, and
 * small functions inlined up to LLVM's threshold 75 instead of `opt-level = "z"`'s 25: iOS runs
 * this wasm interpreted, where a call costs about as much as 25 simple instructions
 * (docs/performance.md, "The iOS engine"); it buys 12–13 % of a receive and a send there for
 * about 450 bytes of Brotli. wasm-opt also renumbers the functions by how often they are called
 * (`--reorder-functions`: shorter call indices, 33 bytes of Brotli).
 */
const MINIPROGRAM = flavour(
  'miniprogram',
  at('target', 'mvp'),
  ['+nightly'],
  ['-Zbuild-std=std,panic_abort', '--features', 'heap-reserve,word-memory,glue-writes-messages'],
  {
    RUSTFLAGS:
      '-C target-cpu=mvp -Zunstable-options -C panic=immediate-abort -Zlocation-detail=none -C llvm-args=-inline-threshold=75',
  },
  ['--converge', '--low-memory-unused', '--reorder-functions'],
  true,
);

/** @param {Flavour} f */
const cargoArtifact = (f) => join(f.targetDir, WASM_TARGET, 'release', 'mobileimsdk_wasm.wasm');
/** @param {Flavour} f */
const generatedGlue = (f) => join(f.generatedDir, 'mobileimsdk_wasm.js');
/** @param {Flavour} f */
const boundWasm = (f) => join(f.generatedDir, 'mobileimsdk_wasm_bg.wasm');
/** @param {Flavour} f */
const optimizedWasm = (f) => join(f.generatedDir, 'mobileimsdk.wasm');
/** @param {Flavour} f */
const withoutGlobalExports = (f) => join(f.generatedDir, 'mobileimsdk_wasm_bg.no-global-exports.wasm');

function step(title) {
  console.log(`\n▸ ${title}`);
}

function run(command, args, env = {}) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function isNewer(output, input) {
  return existsSync(output) && statSync(output).mtimeMs >= statSync(input).mtimeMs;
}

function lockedWasmBindgenVersion() {
  const lock = readFileSync(at('Cargo.lock'), 'utf8');
  const match = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock);
  if (!match) throw new Error('Cargo.lock has no wasm-bindgen entry');
  return match[1];
}

function wasmBindgenCli() {
  const version = lockedWasmBindgenVersion();
  const candidates = ['wasm-bindgen', join(homedir(), '.cargo', 'bin', 'wasm-bindgen')];
  for (const candidate of candidates) {
    try {
      const output = execFileSync(candidate, ['--version'], { encoding: 'utf8' });
      if (output.trim() === `wasm-bindgen ${version}`) return candidate;
      throw new Error(`${candidate} is "${output.trim()}", Cargo.lock needs ${version}`);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`wasm-bindgen CLI not found: cargo install wasm-bindgen-cli --version ${version} --locked`);
}

/** @param {Flavour} f */
function cargoBuild(f) {
  step(`[${f.name}] cargo ${f.cargo.join(' ')}`);
  try {
    run('cargo', f.cargo, f.env);
  } catch (error) {
    if (f === MINIPROGRAM) {
      console.error('The mini-program build needs nightly Rust with rust-src: bash scripts/install-tools.sh');
    }
    throw error;
  }
}

/** @param {Flavour} f */
function bindgen(f) {
  const artifact = cargoArtifact(f);
  if (isNewer(generatedGlue(f), artifact) && isNewer(boundWasm(f), artifact)) {
    step(`[${f.name}] wasm-bindgen: up to date`);
    return;
  }
  step(`[${f.name}] wasm-bindgen --target web`);
  rmSync(f.generatedDir, { recursive: true, force: true });
  run(wasmBindgenCli(), ['--target', 'web', '--out-dir', f.generatedDir, '--out-name', 'mobileimsdk_wasm', artifact]);
  step(`[${f.name}] expose init internals of the generated glue`);
  const glue = readFileSync(generatedGlue(f), 'utf8');
  for (const name of ['__wbg_get_imports', '__wbg_finalize_init']) {
    if (!new RegExp(`^function ${name}\\(`, 'm').test(glue)) {
      throw new Error(`the generated glue has no function ${name}: update the loaders for this wasm-bindgen`);
    }
  }
  // Only the mini-program's views are compared by buffer: browsers detach the old buffer on
  // growth, as the spec says, and the comparison costs a `memory.buffer` read per view access.
  const forRuntime = f === MINIPROGRAM ? withoutDisposeSymbol(viewsComparedByBuffer(glue)) : glue;
  step(`[${f.name}] classes as constructor functions${f === MINIPROGRAM ? ', memory views compared by buffer' : ''}`);
  let bound = withoutClasses(forRuntime);
  if (f === MINIPROGRAM) {
    step(`[${f.name}] imports and exports under short names`);
    bound = withShortBoundaryNames(bound, boundWasm(f));
  }
  writeFileSync(generatedGlue(f), bound + EXPOSE_INIT_INTERNALS);
  const typings = join(f.generatedDir, 'mobileimsdk_wasm.d.ts');
  writeFileSync(typings, readFileSync(typings, 'utf8') + EXPOSE_INIT_INTERNALS_TYPES);
}

/**
 * The generated glue with every cached view of wasm memory renewed when `wasm.memory.buffer` is
 * another buffer, instead of when the old one was detached (empty, or `detached`): WeChat does
 * not promise that growing the memory detaches the old buffer (one report says iOS
 * WXWebAssembly does not), and a view of a stale buffer would read and write the old memory.
 * @param {string} glue
 */
function viewsComparedByBuffer(glue) {
  const renewed = glue
    .replace(
      /(cached\w+Memory0)\.buffer\.detached === true \|\| \(\1\.buffer\.detached === undefined && \1\.buffer !== wasm\.memory\.buffer\)/g,
      '$1.buffer !== wasm.memory.buffer',
    )
    .replace(/(cached\w+Memory0)\.byteLength === 0/g, '$1.buffer !== wasm.memory.buffer');
  if (/\.detached\b|Memory0\.byteLength === 0/.test(renewed)) {
    throw new Error('the generated glue still tests memory views for detachment: update viewsComparedByBuffer');
  }
  return renewed;
}

/**
 * The generated glue with the wasm's function imports and exports renamed to numbers, and the
 * wasm at `wasmFile` rewritten to match: wasm-bindgen names each import
 * `__wbg_<name>_<16 hex digits>` in the module `./mobileimsdk_wasm_bg.js` and each export
 * `imclient_<method>`, names the mini-program bundle and the wasm would otherwise carry in full
 * (1 006 bytes of the compiled total, docs/performance.md). Numbers (`wasm[3]`, import keys
 * `3:`) cannot meet a name terser gives the bundle's private properties. Function exports the glue
 * never names (`memcpy` and its kin, the start function's own name) are dropped; `memory` and the
 * Globals keep theirs. The build fails if the glue does not have the shape expected.
 * @param {string} glue
 * @param {string} wasmFile
 */
function withShortBoundaryNames(glue, wasmFile) {
  const module = './mobileimsdk_wasm_bg.js';
  const used = new Set([...glue.matchAll(/(?<![\w$.])wasm\.([A-Za-z_$][\w$]*)/g)].map((match) => match[1]));
  const exports = new Map();
  const imports = new Map();
  const wasm = rewriteBoundaryNames(readFileSync(wasmFile), {
    importName(from, name) {
      if (from !== module) throw new Error(`the wasm imports from ${from}: update withShortBoundaryNames`);
      const short = String(imports.size);
      imports.set(name, short);
      return ['0', short];
    },
    exportName(name, isFunction) {
      if (!isFunction) return name;
      if (!used.has(name)) return null;
      const short = String(exports.size);
      exports.set(name, short);
      return short;
    },
  });
  let renamed = glue.replace(`"${module}": import0`, '0: import0');
  for (const [name, short] of imports) {
    const key = new RegExp(`^(\\s+)${name}: function\\(`, 'm');
    if (!key.test(renamed)) throw new Error(`the glue has no import ${name}: update withShortBoundaryNames`);
    renamed = renamed.replace(key, `$1${short}: function(`);
  }
  renamed = renamed.replace(/(?<![\w$.])wasm\.([A-Za-z_$][\w$]*)/g, (whole, name) =>
    exports.has(name) ? `wasm[${exports.get(name)}]` : whole,
  );
  const left = [...renamed.matchAll(/(?<![\w$.])wasm\.([A-Za-z_$][\w$]*)/g)].map((match) => match[1]);
  if (renamed.includes(module) || left.some((name) => name !== 'memory')) {
    throw new Error(`the glue still names ${module} or wasm.${left.join(', wasm.')}: update withShortBoundaryNames`);
  }
  writeFileSync(wasmFile, wasm);
  return renamed;
}

/**
 * `wasm` (a module's bytes) with its import and export sections rewritten by `names`:
 * `importName(module, name)` gives an import's new `[module, name]`, `exportName(name,
 * isFunction)` an export's new name, or `null` to drop the export. Every other byte is kept.
 * @param {Uint8Array} wasm
 * @param {{importName(module: string, name: string): [string, string],
 *   exportName(name: string, isFunction: boolean): string | null}} names
 */
function rewriteBoundaryNames(wasm, names) {
  let at = 0;
  const u32 = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  const text = () => {
    const length = u32();
    at += length;
    return Buffer.from(wasm.subarray(at - length, at)).toString('utf8');
  };
  const leb = (value) => {
    const bytes = [];
    do {
      bytes.push((value % 128) | (value >= 128 ? 0x80 : 0));
      value = Math.floor(value / 128);
    } while (value > 0);
    return Buffer.from(bytes);
  };
  const encoded = (name) => Buffer.concat([leb(Buffer.byteLength(name)), Buffer.from(name)]);
  const limits = () => {
    const flags = wasm[at++];
    u32();
    if (flags & 1) u32();
  };
  const out = [wasm.subarray(0, 8)];
  at = 8;
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = u32();
    const end = at + size;
    if (id !== 2 && id !== 7) {
      out.push(Buffer.from([id]), leb(size), wasm.subarray(at, end));
      at = end;
      continue;
    }
    const entries = [];
    for (let count = u32(); count > 0; count -= 1) {
      if (id === 2) {
        const [module, name] = names.importName(text(), text());
        const start = at;
        const kind = wasm[at++];
        if (kind === 1) at += 1; // a table's element type, then its limits
        if (kind === 1 || kind === 2) limits();
        else if (kind === 0) u32();
        else at += 2; // a global's type and mutability
        entries.push(Buffer.concat([encoded(module), encoded(name), wasm.subarray(start, at)]));
      } else {
        const name = names.exportName(text(), wasm[at] === 0);
        const start = at;
        at += 1;
        u32();
        if (name !== null) entries.push(Buffer.concat([encoded(name), wasm.subarray(start, at)]));
      }
    }
    if (at !== end) throw new Error(`section ${id} of the wasm was not read to its end`);
    const body = Buffer.concat([leb(entries.length), ...entries]);
    out.push(Buffer.from([id]), leb(body.length), body);
  }
  return Buffer.concat(out);
}

/**
 * The generated glue without `ImClient.prototype[Symbol.dispose]` (for `using` declarations,
 * which no mini-program runtime has; 60 bytes the SDK never calls).
 * @param {string} glue
 */
function withoutDisposeSymbol(glue) {
  const line = /^if \(Symbol\.dispose\) \w+\.prototype\[Symbol\.dispose\] = \w+\.prototype\.free;\n/gm;
  if (!line.test(glue)) throw new Error('the generated glue has no Symbol.dispose line: update withoutDisposeSymbol');
  return glue.replace(line, '');
}

/**
 * The generated glue's classes as constructor functions with prototype methods: for a class,
 * WeChat's ES6→ES5 compile adds Babel helpers (classCallCheck, createClass and what they need).
 * wasm-bindgen writes each class as `export class Name {`, four-space-indented doc comments and
 * methods whose bodies end with a four-space `}`, and a closing `}` of its own (the doc comments
 * go: the Rust source has them).
 * @param {string} glue
 */
function withoutClasses(glue) {
  const rewritten = glue.replace(/^export class (\w+) \{\n([\s\S]*?)^\}\n/gm, (_, name, body) => {
    let construct = `export function ${name}() {}\n`;
    const methods = [];
    const method = /^ {4}(\w+)\(([^)]*)\) \{\n([\s\S]*?)^ {4}\}\n/gm;
    for (const [, methodName, params, methodBody] of body.matchAll(method)) {
      if (methodName === 'constructor') {
        construct = `export function ${name}(${params}) {\n${methodBody}}\n`;
      } else {
        methods.push(`${name}.prototype.${methodName} = function (${params}) {\n${methodBody}};\n`);
      }
    }
    if (
      body
        .replace(method, '')
        .replace(/\/\*\*[\s\S]*?\*\//g, '')
        .trim() !== ''
    ) {
      throw new Error(`class ${name} of the generated glue has more than methods: update withoutClasses`);
    }
    return construct + methods.join('');
  });
  if (/^\s*(export )?class /m.test(rewritten))
    throw new Error('the generated glue keeps a class: update withoutClasses');
  return rewritten;
}

/** @param {Flavour} f */
async function optimize(f) {
  if (isNewer(optimizedWasm(f), boundWasm(f))) {
    step(`[${f.name}] wasm-opt: up to date`);
    return;
  }
  let input = boundWasm(f);
  if (f.exportsOnlyFunctionsAndMemory) {
    input = withoutGlobalExports(f);
    await removeGlobalExports(f, boundWasm(f), input);
  }
  step(`[${f.name}] wasm-opt -Oz`);
  const wasmOpt = at('node_modules', 'binaryen', 'bin', 'wasm-opt');
  run(process.execPath, [
    wasmOpt,
    '-Oz',
    '--mvp-features',
    ...f.wasmOptFlags,
    '--strip-debug',
    '--strip-producers',
    input,
    '-o',
    optimizedWasm(f),
  ]);
}

/**
 * Writes `input` without its Global exports to `output`; wasm-opt then drops the globals
 * themselves. wasm-bindgen's runtime exports two statics as Globals (`__instance_terminated`,
 * `__abort_handler`, its hard-abort machinery), which its glue reads only in builds with
 * exception handling or `--force-enable-abort-handler`: the build fails if this flavour's glue
 * names one of them.
 * @param {Flavour} f
 * @param {string} input
 * @param {string} output
 */
async function removeGlobalExports(f, input, output) {
  step(`[${f.name}] remove Global exports (iOS WXWebAssembly exports only functions and memory)`);
  const { default: binaryen } = await import('binaryen');
  const module = binaryen.readBinary(readFileSync(input));
  try {
    const glue = readFileSync(generatedGlue(f), 'utf8');
    const globals = [];
    for (let i = 0; i < module.getNumExports(); i += 1) {
      const info = binaryen.getExportInfo(module.getExportByIndex(i));
      if (info.kind === binaryen.ExternalGlobal) globals.push(info.name);
    }
    for (const name of globals) {
      if (glue.includes(name)) throw new Error(`the generated glue uses the Global export ${name}`);
      module.removeExport(name);
    }
    console.log(`  removed: ${globals.join(', ') || 'none'}`);
    writeFileSync(output, module.emitBinary());
  } finally {
    module.dispose();
  }
}

/**
 * An esbuild plugin that resolves the loaders' `../generated/browser/mobileimsdk_wasm.js` (the
 * glue their sources and typings name) to another flavour's glue.
 * @param {Flavour} f
 */
function generatedGlueOf(f) {
  return {
    name: `generated-glue-${f.name}`,
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/generated\/browser\/mobileimsdk_wasm\.js$/ }, () => ({
        path: generatedGlue(f),
      }));
    },
  };
}

/** Fails the build if the mini-program bundle uses what mini-programs lack. */
function checkMiniProgramBundle(file) {
  const code = readFileSync(file, 'utf8');
  const forbidden = [
    [/import\.meta/, 'import.meta'],
    [/\beval\s*\(/, 'eval('],
    [/new\s+Function\s*\(/, 'new Function('],
    [/\brequire\s*\(/, 'require('],
  ];
  for (const [pattern, name] of forbidden) {
    if (pattern.test(code)) throw new Error(`${relative(root, file)} contains ${name}`);
  }
}

async function bundle() {
  step('esbuild → dist/ (browser ESM) and miniprogram_dist/ (CommonJS)');
  for (const dir of ['dist', 'miniprogram_dist']) {
    rmSync(at(dir), { recursive: true, force: true });
    mkdirSync(at(dir));
  }
  const common = { bundle: true, platform: 'neutral', legalComments: 'none', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [at('js-glue', 'src', 'index.browser.js')],
    outfile: at('dist', 'index.js'),
    format: 'esm',
    target: 'es2020',
  });
  copyFileSync(optimizedWasm(BROWSER), at('dist', 'mobileimsdk.wasm'));
  copyFileSync(at('js-glue', 'types', 'index.d.ts'), at('dist', 'index.d.ts'));
  const miniProgramTypes = readFileSync(at('js-glue', 'types', 'miniprogram.d.ts'), 'utf8');
  writeFileSync(at('dist', 'miniprogram.d.ts'), miniProgramTypes);

  await build({
    ...common,
    entryPoints: [at('js-glue', 'src', 'index.miniprogram.js')],
    outfile: at('miniprogram_dist', 'index.js'),
    // ESM, its final `export {…}` then rewritten to `module.exports`: esbuild's own CommonJS
    // wrapper has a for-of loop and a `typeof … == "object"`, for which WeChat's ES6→ES5
    // compile adds Babel helpers.
    format: 'esm',
    target: 'es2017',
    minify: true,
    charset: 'utf8',
    inject: [at('js-glue', 'src', 'text-codec.js')],
    plugins: [generatedGlueOf(MINIPROGRAM)],
    // The glue's own fetch-based init (the only import.meta user) is tree-shaken away;
    // checkMiniProgramBundle() verifies that nothing of it is left.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  await withoutBlockScoping(at('miniprogram_dist', 'index.js'));
  commonJsExports(at('miniprogram_dist', 'index.js'));
  await squeeze(at('miniprogram_dist', 'index.js'));
  checkMiniProgramBundle(at('miniprogram_dist', 'index.js'));
  // The package is "type": "module"; this marks the CommonJS build as such for bundlers that
  // resolve `mobileimsdk-wasm/miniprogram` (webpack would otherwise parse it as an ES module).
  writeFileSync(at('miniprogram_dist', 'package.json'), '{"type":"commonjs"}\n');
}

/**
 * The bundle with `var` for `let` and `const` (Babel's block-scoping transform, which renames
 * bindings that would clash and keeps loop closures apart): JavaScriptCore without a JIT, as on
 * iOS, checks that a lexical binding is initialized at each use from a closure, and the glue's
 * hot paths are closures over such bindings (docs/performance.md, "Block scoping lowered").
 * WeChat's ES6→ES5 compile does the same; this keeps code shipped without it as fast.
 * @param {string} file
 */
async function withoutBlockScoping(file) {
  const result = await transformAsync(readFileSync(file, 'utf8'), {
    babelrc: false,
    configFile: false,
    sourceType: 'module',
    compact: true,
    plugins: ['@babel/plugin-transform-block-scoping'],
  });
  if (typeof result?.code !== 'string') throw new Error('babel produced no code');
  writeFileSync(file, result.code);
}

/**
 * Rewrites the ESM bundle's one final `export { local as name, … };` to
 * `module.exports = { name: local, … };` (every export is a constant, so plain values do).
 * @param {string} file
 */
function commonJsExports(file) {
  const code = readFileSync(file, 'utf8');
  const exports = /\bexport\s*\{([^}]*)\};?\s*$/.exec(code);
  if (!exports || /\bexport\b/.test(code.slice(0, exports.index))) {
    throw new Error(`${relative(root, file)}: expected exactly one final export statement`);
  }
  const pairs = exports[1]
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [local, name = local] = part.split(/\s+as\s+/);
      return `${name}: ${local}`;
    });
  writeFileSync(file, `${code.slice(0, exports.index)}module.exports = { ${pairs.join(', ')} };\n`);
}

/**
 * Properties that only the bundle's own modules read and write, renamed to short names in the
 * mini-program bundle: the facade's send records and settings, the host, transport and core
 * interfaces between js-glue modules, and the generated glue's object handle. Public names (the
 * typings in js-glue/types/), names the wasm boundary spells (src/wasm/: JSON output fields,
 * host methods the generated glue calls) and names of the runtime's APIs (`wx.*` options such as
 * `success` / `fail`, WebSocket and SocketTask members) stay. `privateProperties()` fails the
 * build when a name here is gone from the bundle or appears where it must not be renamed.
 */
const PRIVATE_PROPERTIES = [
  // the facade's parts (facade.js and the modules it wires: their members and shared state)
  'sdkLog',
  'coreLog',
  'callOptional',
  'invoke',
  'emit',
  'tell',
  'listen',
  'unlisten',
  'clearListeners',
  'core',
  'queuedLogin',
  'ready',
  'enqueue',
  'retire',
  'coreSend',
  'refuse',
  'onWritten',
  'onLost',
  'onReceived',
  'closeAll',
  'companions',
  'loadCore',
  'transport',
  // send records, settings, socket entries
  'callbacks',
  'promise',
  'senseModes',
  'msgIdLength',
  'configs',
  'live',
  'wrote',
  // Host (host-*.js) and its lifecycle hooks
  'fillRandom',
  'showAlert',
  'subscribeLifecycle',
  'onShow',
  'onHide',
  'onNetworkChange',
  // Transport handlers (transport-*.js)
  'onText',
  'onBytes',
  // Core (core-adapter.js)
  'socketOpened',
  'socketText',
  'socketBytes',
  'socketClosed',
  'networkChanged',
  'appShown',
  'appHidden',
  'setFingerprintLength',
  'setDebug',
  'isLoggedIn',
  // the wasm boundary: the host's write methods and `ImClient`'s (the generated glue is in the
  // same bundle), none a name the runtime or the wasm's exports use
  'writeText',
  'writeFirst',
  'writeMessage',
  'textOf',
  'sendHeld',
  'textBuffer',
  'fields',
  'frame',
  'configure',
  'flush',
  // the wasm loader (wasm-loader.js)
  'setPath',
  // the generated glue's handle of an `ImClient`
  '__wbg_ptr',
  '__destroy_into_raw',
];

/**
 * The terser pattern of `PRIVATE_PROPERTIES`, after checking each name against `code` (the
 * bundle before minification): it must be used there, never as a quoted string (terser renames
 * only property names), and must not be declared by the public typings nor spelled as a string
 * by the wasm boundary.
 * @param {string} code
 */
function privateProperties(code) {
  const typings = ['index.d.ts', 'miniprogram.d.ts'].map((name) => readFileSync(at('js-glue', 'types', name), 'utf8'));
  const boundary = readdirSync(at('src', 'wasm'))
    .filter((name) => name.endsWith('.rs'))
    .map((name) => readFileSync(at('src', 'wasm', name), 'utf8'));
  for (const name of PRIVATE_PROPERTIES) {
    const used = new RegExp(`[.{,\\s]${name.replace(/\$/g, '\\$')}\\b`).test(code);
    const quoted = ['"', "'", '`'].some((quote) => code.includes(quote + name + quote));
    const declared = typings.some((text) => new RegExp(`^\\s*(readonly\\s+)?${name}\\??[:(]`, 'm').test(text));
    const spelled = boundary.some((text) => text.includes(`"${name}"`));
    if (!used || quoted || declared || spelled) {
      const why = !used ? 'not used by the bundle' : quoted ? 'quoted' : declared ? 'public' : 'spelled by src/wasm';
      throw new Error(`PRIVATE_PROPERTIES: ${name} is ${why}: update the list in scripts/build.mjs`);
    }
  }
  return new RegExp(`^(${PRIVATE_PROPERTIES.join('|')})$`);
}

/**
 * A second, whole-program minification pass over the mini-program bundle: every byte counts
 * against the mini-program's package budget, and terser's passes gain about 4 % over esbuild's;
 * it also renames `PRIVATE_PROPERTIES`.
 * @param {string} file
 */
async function squeeze(file) {
  const code = readFileSync(file, 'utf8');
  const result = await minify(code, {
    ecma: 2017,
    module: false,
    toplevel: true,
    compress: { passes: 3, hoist_funs: true },
    // `builtins`: a listed name is ours even where browsers also use it (`ready`, `enqueue`).
    mangle: { toplevel: true, properties: { regex: privateProperties(code), builtins: true } },
    format: { ascii_only: false, comments: false },
  });
  if (typeof result.code !== 'string') throw new Error('terser produced no code');
  writeFileSync(file, result.code);
}

function compressForMiniProgram() {
  step('brotli → miniprogram_dist/mobileimsdk.wasm.br');
  const wasm = readFileSync(optimizedWasm(MINIPROGRAM));
  const compressed = brotliCompressSync(wasm, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
      [zlib.BROTLI_PARAM_SIZE_HINT]: wasm.length,
    },
  });
  writeFileSync(at('miniprogram_dist', 'mobileimsdk.wasm.br'), compressed);
}

function reportSizes() {
  step('sizes (bytes)');
  for (const dir of ['dist', 'miniprogram_dist']) {
    for (const name of ['index.js', 'index.d.ts', 'miniprogram.d.ts', 'mobileimsdk.wasm', 'mobileimsdk.wasm.br']) {
      const file = at(dir, name);
      if (existsSync(file)) console.log(`  ${`${dir}/${name}`.padEnd(34)} ${statSync(file).size}`);
    }
  }
}

for (const f of [BROWSER, MINIPROGRAM]) {
  cargoBuild(f);
  bindgen(f);
  await optimize(f);
}
await bundle();
compressForMiniProgram();
reportSizes();
