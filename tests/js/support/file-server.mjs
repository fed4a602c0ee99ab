/**
 * One server per test file and the SDK runtimes its tests open: the server starts before the
 * file's tests, and after them every runtime is destroyed and the server stopped.
 */
import { after, before } from 'node:test';

/**
 * @template {{stop(): Promise<void>}} Server
 * @param {() => Promise<Server>} start starts the file's server
 * @returns {{server: Server, runtimes: {env: {dispose(): void}, IMSDK: {destroy(): void}}[]}}
 *   `server` is set once the file's `before` hook ran; push each runtime opened onto `runtimes`
 */
export function serverForFile(start) {
  const fixture = { server: /** @type {Server} */ (/** @type {unknown} */ (null)), runtimes: [] };
  before(async () => {
    fixture.server = await start();
  });
  after(async () => {
    for (const { env, IMSDK } of fixture.runtimes) {
      IMSDK.destroy();
      env.dispose();
    }
    await fixture.server?.stop();
  });
  return fixture;
}
