/**
 * Both mini-program builds (`miniprogram_dist/` and WeChat's compiled output) in JavaScriptCore
 * without JIT and without TextEncoder/TextDecoder, as iOS WeChat runs them (run.mjs,
 * harness.js): login, QoS messages both ways, a duplicate, a kick-out, against an in-process
 * scripted server. Skipped, with the reason, where the `jsc` shell is not installed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINI_PROGRAM_BUILDS } from '../js/support/builds.mjs';
import { jscPath, runInJsc } from './run.mjs';

const MESSAGES = 50;
const skip = jscPath() ? false : 'jsc is not installed (Debian: apt-get install libjavascriptcoregtk-4.0-bin)';

for (const build of Object.keys(MINI_PROGRAM_BUILDS)) {
  test(`${build} in jsc --useJIT=false: login, QoS both ways, a duplicate, kick-out`, { skip }, () => {
    const { test: outcome } = runInJsc({ build, mode: 'test', messages: MESSAGES });
    assert.equal(outcome.textCodecs, 'undefined/undefined', 'the engine has no native text codecs');
    assert.equal(outcome.logins, 1);
    assert.equal(outcome.delivered, MESSAGES, 'each pushed message delivered once, the duplicate not again');
    assert.equal(outcome.firstContent, 'message number 0 from bob');
    assert.equal(outcome.serverGotAcks, MESSAGES, 'each pushed message acknowledged to the server');
    assert.equal(outcome.serverGotMessages, MESSAGES);
    assert.equal(outcome.acknowledged, MESSAGES, 'each sent message acknowledged to the app once');
    assert.equal(outcome.acknowledgedInOrder, true);
    assert.equal(outcome.lost, 0);
    assert.deepEqual(outcome.kicked, [1]);
    assert.equal(outcome.disconnected, 1);
    assert.equal(outcome.state, 'kicked');
  });
}
