/**
 * The mini-program build itself: only es2017 syntax, nothing a mini-program lacks, everything
 * hung on `wx`, and the wasm path rules (`WXWebAssembly` gets a package path string).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { transform } from 'esbuild';
import { miniProgramDist, openMiniProgram, requireBuilt, SDK_PACKAGE_PATH } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createMiniProgramEnv } from './support/miniprogram-env.mjs';
import { createRecorder } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;

function load() {
  const runtime = openMiniProgram();
  runtimes.push(runtime);
  return runtime;
}

test('the bundle is es2017 CommonJS without import.meta, eval, new Function or require', async () => {
  requireBuilt(miniProgramDist);
  const code = readFileSync(join(miniProgramDist, 'index.js'), 'utf8');
  for (const forbidden of [
    /import\.meta/,
    /\beval\s*\(/,
    /new\s+Function\s*\(/,
    /\brequire\s*\(/,
    /^\s*(import|export)\s/m,
  ]) {
    assert.doesNotMatch(code, forbidden);
  }
  const asEs2017 = await transform(code, { target: 'es2017' });
  const asEsNext = await transform(code, { target: 'esnext' });
  assert.ok(asEs2017.code === asEsNext.code, 'nothing needs lowering to es2017');
});

test("the generated glue's views of wasm memory are renewed when the memory's buffer changes", () => {
  // Not when the old buffer is detached: WeChat does not promise that memory growth detaches it.
  requireBuilt(miniProgramDist);
  const code = readFileSync(join(miniProgramDist, 'index.js'), 'utf8');
  assert.doesNotMatch(code, /\.detached\b|Memory0\.byteLength|\.byteLength===0/);
  const views = code.match(/new (?:DataView|Uint8Array|Int32Array|Float64Array)\([\w$]+\.memory\.buffer\)/g) ?? [];
  assert.ok(views.length > 0, 'the generated glue keeps a view of the memory');
  assert.equal(code.match(/\.buffer!==[\w$]+\.memory\.buffer/g)?.length, views.length, 'each of its views');
});

test('the runtime has only mini-program globals', () => {
  const { env } = load();
  for (const name of ['WebAssembly', 'fetch', 'TextEncoder', 'TextDecoder', 'crypto', 'process', 'Buffer', 'URL']) {
    assert.equal(env.run(`typeof ${name}`), 'undefined', name);
  }
  assert.throws(() => env.run('eval("1")'));
  assert.throws(() => env.run('new Function("return 1")'));
});

test('requiring the module hangs the SDK and its companions on wx', () => {
  const { env, sdk } = load();
  for (const name of [
    'IMSDK',
    'MBProtocalFactory',
    'MBKeepAliveDaemon',
    'MBSenseMode',
    'MBErrorCode',
    'MBProtocalType',
    'MBKickoutCode',
    'MBUtils',
  ]) {
    assert.ok(env.wx[name], `wx.${name}`);
    assert.equal(env.wx[name], sdk[name]);
  }
  assert.equal(sdk.DEFAULT_WASM_PATH, `${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`);
  assert.equal(env.wx.MBProtocalType.FROM_SERVER_TYPE_OF_KICKOUT, 54);
  assert.equal(env.wx.MBErrorCode.DATA_TOO_LARGE, 206);
});

test('setWasmPath before the first call picks the wasm; afterwards it is refused', async () => {
  const { IMSDK } = load();
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginSucess = events.callback('login');
  assert.equal(IMSDK.setWasmPath(`/${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`), true);
  IMSDK.loginImpl({ loginUserId: 'path-user' }, fixture.server.url);
  assert.equal(IMSDK.setWasmPath('elsewhere.wasm'), false);
  await events.waitFor('login');
});

test('a wasm that cannot be loaded fails the login with 203 and logs why', async () => {
  const { IMSDK, env } = load();
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginFailed = events.callback('failed');
  IMSDK.setWasmPath('miniprogram_npm/mobileimsdk-wasm/missing.wasm.br');
  IMSDK.loginImpl({ loginUserId: 'no-wasm' }, fixture.server.url);
  const [isReconnect, code] = await events.waitFor('failed');
  assert.equal(isReconnect, false);
  assert.equal(code, 203);
  assert.ok(env.consoleLines.some(({ level, text }) => level === 'error' && text.includes('failed to load')));
  assert.equal(IMSDK.getConnectionState(), 'idle');
});

test('a runtime without WXWebAssembly fails the login with 203, and without wx nothing is hung', async () => {
  requireBuilt(miniProgramDist);
  const env = createMiniProgramEnv({ packageDirs: { [SDK_PACKAGE_PATH]: miniProgramDist } });
  env.run('delete globalThis.WXWebAssembly; delete globalThis.wx;');
  const { IMSDK } = env.require(`${SDK_PACKAGE_PATH}/index.js`);
  runtimes.push({ env, IMSDK });
  assert.equal(env.wx.IMSDK, undefined);
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginFailed = events.callback('failed');
  IMSDK.loginImpl({ loginUserId: 'nowhere' }, fixture.server.url);
  const [, code] = await events.waitFor('failed');
  assert.equal(code, 203);
  assert.ok(env.consoleLines.some(({ text }) => text.includes('no WXWebAssembly here')));
});
