#!/usr/bin/env node
/**
 * Two mini-program builds side by side in the iOS engine (`jsc --useJIT=false`, tests/ios-engine/):
 * `node benches/js/ios-engine-side-by-side.mjs <dir-a> <dir-b> [rounds]`, each dir holding a
 * `miniprogram_dist/` (`index.js`, `mobileimsdk.wasm.br`), e.g. a copy of another commit's build.
 * The builds alternate, `rounds` times (3 by default), each run the best of five rounds of 2 000
 * messages, as `npm run bench` measures one build:
 *   <dir> send=<µs per message> ratio=<against its floor> receive=<µs per frame> ratio=<…>
 */
import { resolve } from 'node:path';
import { jscPath, runInJsc } from '../../tests/ios-engine/run.mjs';
import { MINI_PROGRAM_BUILDS, SDK_PACKAGE_PATH } from '../../tests/js/support/builds.mjs';

const [dirA, dirB, rounds = '3'] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: ios-engine-side-by-side.mjs <dir-a> <dir-b> [rounds]');
if (!jscPath()) throw new Error('jsc is missing: apt-get install libjavascriptcoregtk-4.0-bin');
const dirs = [resolve(dirA), resolve(dirB)];
for (const dir of dirs) MINI_PROGRAM_BUILDS[dir] = () => ({ [SDK_PACKAGE_PATH]: dir });
for (let round = 0; round < Number(rounds); round += 1) {
  for (const dir of dirs) {
    const r = runInJsc({ build: dir, mode: 'bench', messages: 2000, runs: 5 });
    const send = r['send-us-per-message'];
    const receive = r['receive-us-per-frame'];
    console.log(
      `${dir} send=${send.toFixed(1)} ratio=${(send / r['send-floor-us-per-message']).toFixed(0)}` +
        ` receive=${receive.toFixed(1)} ratio=${(receive / r['receive-floor-us-per-frame']).toFixed(0)}`,
    );
  }
}
