/**
 * The ack the glue writes for a frame it holds (`ackText`, js-glue/src/call-arguments.js) is the
 * text the core's writer writes for the same frame: the cases of tests/fixtures/acks.json, which
 * tests/protocol_frames.rs `a_client_ack_is_written_as_the_glue_writes_it` checks against the
 * core (docs/client-behaviour.md §11).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ackText, messageArguments } from '../../js-glue/src/call-arguments.js';

const cases = JSON.parse(readFileSync(new URL('../fixtures/acks.json', import.meta.url), 'utf8'));

test('the glue writes a held frame ack as the core writes an ack', () => {
  assert.ok(cases.length >= 4);
  for (const { why, frame, ownUid, ack } of cases) {
    assert.notEqual(messageArguments(frame, true), null, `${why}: a frame the glue passes on`);
    assert.equal(ackText(frame, JSON.stringify(ownUid)), ack, why);
  }
});

test("an ack's texts come back as the frame had them, lone surrogates included", () => {
  const frame = { type: 2, from: 'bob\u2028', fp: 'fp-\ud800-lone', QoS: true };
  const ack = JSON.parse(ackText(frame, JSON.stringify('alice')));
  assert.deepEqual([ack.dataContent, ack.to, ack.from], [frame.fp, frame.from, 'alice']);
});
