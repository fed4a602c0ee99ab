/**
 * The mini-program wasm reserves the heap an ordinary session needs while it starts, so that
 * such a session never grows the memory once the SDK has loaded (docs/client-behaviour.md §9:
 * WeChat does not promise what growth does to the old buffer). Ordinary: login, then QoS messages both ways at the core's default limits
 * — 30 000 received, three times the dedupe cache's 10 000 entries, so it fills and churns; 30 000
 * sent, up to 1 000 unacknowledged at once; chat texts of about 200 characters, Chinese
 * included — and one message each way near the 64 KiB outbound limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { serverForFile } from './support/file-server.mjs';
import { dataFrame, serverFrame, startHostileServer } from './support/hostile-server.mjs';
import { createRecorder, eventually } from './support/recorder.mjs';

const fixture = serverForFile(startHostileServer);
const { runtimes } = fixture;

const MESSAGES_EACH_WAY = 30_000;
/** Messages sent (and received) before the peer acknowledges them. */
const IN_FLIGHT = 1_000;
const CHAT_TEXT = `${'x'.repeat(100)}${'你好'.repeat(50)}`;
/** ASCII text whose frame stays under the 65 536-byte outbound limit. */
const LARGEST_TEXT = 'y'.repeat(64_000);
const PAGE = 65_536;

test('an ordinary session never grows the wasm memory', async (t) => {
  const uid = 'ordinary';
  const runtime = openMiniProgram(undefined, { recordFrames: false });
  runtimes.push(runtime);
  const { IMSDK, env } = runtime;
  const events = createRecorder();
  const counts = { data: 0, received: 0, lost: 0 };
  IMSDK.callback_onIMData = () => {
    counts.data += 1;
  };
  IMSDK.callback_onMessagesBeReceived = () => {
    counts.received += 1;
  };
  IMSDK.callback_onMessagesLost = (lost) => {
    counts.lost += lost.length;
  };
  IMSDK.callback_onIMAfterLoginSucess = events.callback('loggedIn');
  const connection = fixture.server.nextLogin(uid);
  assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: 'token' }, fixture.server.url), 0);
  // The wasm has loaded, the core has been created and has written the login frame.
  const { peer } = await connection;
  const loaded = env.wasmMemoryBytes();
  assert.ok(loaded > 0);
  peer.replyLogin(uid);
  await events.waitFor('loggedIn');

  /** The peer sends `texts` to the phone, the phone sends them back; all are acknowledged. */
  async function bothWays(texts, first) {
    await peer.sendAll(texts.map((text, i) => dataFrame('peer', uid, text, `in-${first + i}`)));
    const fps = texts.map((text) => {
      const message = { type: 2, dataContent: text, to: 'peer', QoS: true };
      assert.equal(IMSDK.sendData(message), 0);
      return message.fp;
    });
    await eventually(() => counts.data === first + texts.length, `${first + texts.length} messages received`);
    await peer.sendAll(fps.map((fp) => serverFrame(4, fp, uid, { from: 'peer' })));
    await eventually(() => counts.received === first + texts.length, `${first + texts.length} acks`);
    assert.equal(env.wasmMemoryBytes(), loaded, `the memory grew by ${first + texts.length} messages each way`);
  }

  for (let first = 0; first < MESSAGES_EACH_WAY; first += IN_FLIGHT) {
    await bothWays(
      Array.from({ length: IN_FLIGHT }, (_, i) => `${CHAT_TEXT} ${first + i}`),
      first,
    );
  }
  await bothWays([LARGEST_TEXT], MESSAGES_EACH_WAY);
  assert.equal(counts.lost, 0);
  t.diagnostic(`wasm memory ${loaded / PAGE} pages from the SDK's load to the end`);
});
