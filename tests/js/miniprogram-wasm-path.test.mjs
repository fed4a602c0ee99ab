/**
 * The mini-program loader hands `WXWebAssembly.instantiate` a package path from the root (one
 * leading `/`), which some base library versions require, whatever spelling the app used.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { miniProgramDist, requireBuilt, SDK_PACKAGE_PATH } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createMiniProgramEnv } from './support/miniprogram-env.mjs';
import { createRecorder } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);
const { runtimes } = fixture;
before(() => requireBuilt(miniProgramDist));

/**
 * A runtime whose `WXWebAssembly.instantiate` records its paths and, like the strict base
 * libraries, refuses one that does not start with `/`.
 */
function strictRuntime() {
  const env = createMiniProgramEnv({ packageDirs: { [SDK_PACKAGE_PATH]: miniProgramDist } });
  const paths = [];
  const instantiate = env.WXWebAssembly.instantiate;
  env.WXWebAssembly.instantiate = (path, imports) => {
    paths.push(path);
    if (!path.startsWith('/')) return Promise.reject(new Error(`not a package path: ${path}`));
    return instantiate(path, imports);
  };
  const { IMSDK } = env.require(`${SDK_PACKAGE_PATH}/index.js`);
  runtimes.push({ env, IMSDK });
  return { IMSDK, paths };
}

/** Logs in and resolves once online, so the wasm did load from the path given. */
async function loginWith(IMSDK, uid) {
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginSucess = events.callback('login');
  IMSDK.callback_onIMAfterLoginFailed = events.callback('failed');
  assert.equal(IMSDK.loginImpl({ loginUserId: uid }, fixture.server.url), 0);
  await events.waitFor('login');
}

test('the default path reaches WXWebAssembly from the package root', async () => {
  const { IMSDK, paths } = strictRuntime();
  await loginWith(IMSDK, 'path-default');
  assert.deepEqual(paths, [`/${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`]);
});

test('a path set without a leading slash gets one; one with slashes keeps exactly one', async () => {
  for (const [given, expected] of [
    [`${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`, `/${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`],
    [`//${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`, `/${SDK_PACKAGE_PATH}/mobileimsdk.wasm.br`],
  ]) {
    const { IMSDK, paths } = strictRuntime();
    assert.equal(IMSDK.setWasmPath(given), true);
    await loginWith(IMSDK, `path-${paths.length}-${given.length}`);
    assert.deepEqual(paths, [expected], given);
  }
});
