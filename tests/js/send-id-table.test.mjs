/**
 * The facade's table of messages by send id (js-glue/src/send-outcomes.js `createSendIdTable`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSendIdTable } from '../../js-glue/src/send-outcomes.js';

test('ids that skip numbers, removals in any order and an emptied table keep every value at its id', () => {
  const table = createSendIdTable();
  const live = new Map();
  const add = (id) => {
    table.set(id, `v${id}`);
    live.set(id, `v${id}`);
  };
  const remove = (id) => {
    assert.equal(table.take(id), live.get(id), `take ${id}`);
    live.delete(id);
  };
  for (let id = 5; id < 5000; id += 1 + (id % 3)) add(id);
  // The oldest leave from the front, then most of the rest: some from the back, a few stay.
  for (const id of [...live.keys()]) if (id < 3000 || (id % 7 !== 0 && id < 4000)) remove(id);
  for (const id of [...live.keys()].reverse()) if (id >= 4000) remove(id);
  add(6000);
  remove(12345);
  for (let id = 0; id < 6100; id += 1) assert.equal(table.get(id), live.get(id), `id ${id}`);
  for (const id of [...live.keys()]) remove(id);
  add(9000);
  assert.equal(table.get(9000), 'v9000');
  assert.equal(table.get(6000), undefined);
  assert.equal(table.get(-1), undefined);
});
