/**
 * A QoS echo (type 5) in the mini-program build against the devserver, which writes it back as
 * type 53 and never acks it with type 4: the reply acknowledges it (docs/client-behaviour.md §4).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { serverForFile } from './support/file-server.mjs';
import { createRecorder, MAIN_CALLBACKS } from './support/recorder.mjs';

const fixture = serverForFile(startDevServer);

test('a QoS echo is acknowledged by its type-53 reply: received, sendDataAsync resolves', async () => {
  const runtime = openMiniProgram();
  fixture.runtimes.push(runtime);
  const { IMSDK } = runtime;
  const events = createRecorder();
  for (const name of MAIN_CALLBACKS) IMSDK[name] = events.callback(name);
  IMSDK.on('echo', events.callback('echo'));
  assert.equal(IMSDK.loginImpl({ loginUserId: 'echoer' }, fixture.server.url), 0);
  await events.waitFor('callback_onIMAfterLoginSucess');
  const echo = { type: 5, dataContent: 'are you there?', from: '', to: '0', QoS: true };
  const { fp } = await IMSDK.sendDataAsync(echo);
  assert.equal(fp, echo.fp);
  const [reply] = await events.waitFor('echo');
  assert.equal(reply.type, 53);
  assert.equal(reply.fp, fp);
  assert.deepEqual(events.all('callback_onMessagesBeReceived'), [[fp]]);
  assert.deepEqual(events.all('callback_onMessagesLost'), []);
});
