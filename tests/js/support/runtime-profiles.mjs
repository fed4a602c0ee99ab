/**
 * How the mini-program runtimes the SDK meets differ, as profiles of the test runtime
 * (`createMiniProgramEnv({profile})`). What each profile assumes of real WeChat, and where it
 * comes from (nothing here was observed on a phone by this project):
 *
 * * `ios`: iOS WeChat. `WXWebAssembly.instantiate` compiles only pure MVP wasm (JavaScriptCore
 *   before iOS 14.5 has no sign-extension opcodes) and rejects a module that exports a Global
 *   (WeChat's WXWebAssembly documentation: "iOS 平台暂不支持 Global"); it takes only a path from
 *   the package root (leading `/`) and resolves a bare `Instance`. A suspended app's sockets die
 *   silently: no `onClose`, `send` fails "not connected" (public reports). At most two sockets
 *   may exist at once, closing ones included (真机调试).
 * * `android`: Android WeChat: the leading `/`, `{instance, module}`, the two-socket limit;
 *   suspended sockets die with an `onClose`.
 * * `devtools`: WeChat DevTools' simulator, the default: any path spelling, `{instance,
 *   module}`, five sockets, suspended sockets die with an `onClose`.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

/**
 * @typedef {object} RuntimeProfile
 * @property {number} maxSockets SocketTasks that may exist at once, closing ones included
 * @property {boolean} pathFromRoot `WXWebAssembly.instantiate` refuses a path without a leading `/`
 * @property {boolean} bareInstance `instantiate` resolves an `Instance`, not `{instance, module}`
 * @property {boolean} pureMvpOnly `instantiate` refuses wasm beyond MVP or exporting a Global
 * @property {boolean} silentSuspension a suspended app's sockets die without `onClose`
 */

/** @type {Record<'ios' | 'android' | 'devtools', RuntimeProfile>} */
export const RUNTIME_PROFILES = {
  ios: { maxSockets: 2, pathFromRoot: true, bareInstance: true, pureMvpOnly: true, silentSuspension: true },
  android: { maxSockets: 2, pathFromRoot: true, bareInstance: false, pureMvpOnly: false, silentSuspension: false },
  devtools: { maxSockets: 5, pathFromRoot: false, bareInstance: false, pureMvpOnly: false, silentSuspension: false },
};

/** Digests of wasm bytes already found pure MVP (the check runs a child process). */
const validMvp = new Set();

/**
 * Throws unless `bytes` validate as pure MVP wasm (`wasm-tools validate --features=mvp`) and
 * export no Global, as iOS WXWebAssembly requires.
 * @param {Uint8Array} bytes
 */
export function assertAcceptedByIos(bytes) {
  const globals = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => e.kind === 'global');
  if (globals.length > 0) {
    throw new Error(`WXWebAssembly (iOS): the module exports a Global (${globals.map((e) => e.name).join(', ')})`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (validMvp.has(digest)) return;
  try {
    execFileSync('wasm-tools', ['validate', '--features=mvp', '-'], {
      input: bytes,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error('wasm-tools is missing: bash scripts/install-tools.sh');
    throw new Error(`WXWebAssembly (iOS): not a pure MVP module: ${String(error.stderr).trim()}`);
  }
  validMvp.add(digest);
}
