/**
 * The wasm boundary's one contract (docs/client-behaviour.md §11), read from the sources of both
 * sides: the numbers of the inputs (src/wasm/inputs.rs, src/wasm/texts.rs) equal the glue's
 * (js-glue/src/core-adapter.js); the host the glue hands the wasm has exactly the methods
 * src/wasm/host.rs imports; the event kinds the wasm and the adapter produce are exactly the
 * ones facade.js dispatches, and the handlers the adapter calls the ones facade.js gives it;
 * their app events are the ones js-glue/types/index.d.ts types.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { coreFactory } from '../../js-glue/src/core-adapter.js';

const source = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const adapter = source('js-glue/src/core-adapter.js');
/** The adapter and the module that writes its calls' arguments. */
const adapterSide = adapter + source('js-glue/src/call-arguments.js');

/** `const NAME = { a: 0, b: 1 };` of the adapter, as an object. */
function adapterObject(name) {
  const match = new RegExp(`const ${name} = (\\{[^}]*\\});`).exec(adapter);
  assert.ok(match, `core-adapter.js defines ${name}`);
  return Function(`return ${match[1]}`)();
}

/** `const NAME = 3;` of the adapter's side. */
function adapterNumber(name) {
  const match = new RegExp(`const ${name} = (\\d+);`).exec(adapterSide);
  assert.ok(match, `core-adapter.js or call-arguments.js defines ${name}`);
  return Number(match[1]);
}

/** The variants of `pub enum name` in src/wasm/inputs.rs, keyed as the glue names them. */
function rustEnum(name) {
  const body = new RegExp(`pub enum ${name} \\{([^}]*)\\}`).exec(source('src/wasm/inputs.rs'));
  assert.ok(body, `inputs.rs defines ${name}`);
  const variants = {};
  for (const [, variant, value] of body[1].matchAll(/(\w+) = (\d+),/g)) {
    variants[variant[0].toLowerCase() + variant.slice(1)] = Number(value);
  }
  return variants;
}

/** `pub const NAME: … = n;` (or `const`) of a Rust file. */
function rustConst(path, name) {
  const match = new RegExp(`const ${name}: \\w+ = (\\d+);`).exec(source(path));
  assert.ok(match, `${path} defines ${name}`);
  return Number(match[1]);
}

test('the numbered inputs mean the same on both sides', () => {
  assert.deepEqual(adapterObject('SOCKET'), rustEnum('SocketEvent'));
  assert.deepEqual(adapterObject('HINT'), rustEnum('Hint'));
  assert.deepEqual(adapterObject('SETTING'), rustEnum('Setting'));
  for (const name of [
    'FIELD_COUNT',
    'FIELD_WRITTEN',
    'FIELD_LENGTHS',
    'FIELD_SENT_ID',
    'FIELD_SENT_FROM_USER',
    'BRIDGE',
    'QOS',
  ]) {
    assert.equal(adapterNumber(name), rustConst('src/wasm/texts.rs', name), name);
  }
  for (const name of ['FRAME_APP_MESSAGE', 'FRAME_ACKED', 'STATUS_LOGGED_IN', 'STATUS_ONLINE', 'STATUS_SESSION']) {
    assert.equal(adapterNumber(name), rustConst('src/wasm/handle.rs', name), name);
  }
});

test('the states are numbered as the core declares them', () => {
  const declared = /pub enum ConnectionState \{([^}]*)\}/.exec(source('src/core/state.rs'));
  assert.ok(declared, 'state.rs declares ConnectionState');
  const variants = [...declared[1].matchAll(/^\s*(\w+),$/gm)].map(([, variant]) => variant);
  const names = new Map(
    [...source('src/core/state.rs').matchAll(/Self::(\w+) => "(\w+)"/g)].map(([, variant, name]) => [variant, name]),
  );
  const states = /const STATES = (\[[^\]]*\]);/.exec(adapter);
  assert.ok(states, 'core-adapter.js defines STATES');
  assert.equal(variants.length, 8);
  assert.deepEqual(
    Function(`return ${states[1]}`)(),
    variants.map((variant) => names.get(variant)),
  );
});

test('the glue hands the wasm exactly the host methods it imports', () => {
  const imported = [
    ...source('src/wasm/host.rs').matchAll(/#\[wasm_bindgen\(method(?:, js_name = (\w+))?\)\]\s*(?:pub )?fn (\w+)/g),
  ]
    .map(([, jsName, rustName]) => jsName ?? rustName)
    .sort();
  let host;
  const memory = new WebAssembly.Memory({ initial: 1 });
  coreFactory((given) => {
    host = given;
    return { fields: () => 0 };
  }, memory)({ transmit() {}, message() {}, written() {}, data() {}, received() {}, output() {} }, () => {});
  assert.deepEqual(Object.keys(host).sort(), imported);
});

test('every output kind is dispatched, and the app events are the typed ones', () => {
  const wasmKinds = [...source('src/wasm/convert.rs').matchAll(/kind\("(\w+)"\)|with_message\("(\w+)"/g)].map(
    ([, a, b]) => a ?? b,
  );
  const adapterKinds = [...adapter.matchAll(/output\(\{ kind: '(\w+)'/g)].map(([, kind]) => kind);
  const produced = new Set([...wasmKinds, ...adapterKinds]);
  const facade = source('js-glue/src/facade.js');
  const dispatched = new Set([...facade.matchAll(/case '(\w+)':/g)].map(([, kind]) => kind));
  assert.deepEqual([...produced].sort(), [...dispatched].sort());

  const called = new Set([...adapter.matchAll(/handlers\.(\w+)\b/g)].map(([, name]) => name));
  const given = /const handlers = \{([\s\S]*?)\n {2}\};/.exec(facade);
  assert.ok(given, 'facade.js gives the adapter its handlers');
  const names = [...given[1].matchAll(/^ {4}(\w+)[:(]/gm)].map(([, name]) => name);
  assert.deepEqual([...called].sort(), names.sort());

  const typed = /export interface IMSDKEvents \{([\s\S]*?)\n\}/.exec(source('js-glue/types/index.d.ts'));
  assert.ok(typed);
  const events = [...typed[1].matchAll(/^\s*(\w+):/gm)].map(([, name]) => name).sort();
  const internal = ['open', 'close'];
  const appEvents = [...produced, 'data', 'received'].filter((kind) => !internal.includes(kind));
  assert.deepEqual(events, appEvents.sort());
});
