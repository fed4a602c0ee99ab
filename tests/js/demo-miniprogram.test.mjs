/**
 * The demo mini-program (demo-miniprogram/) as WeChat would run it: app.js and the page scripts
 * with `App`, `Page`, `getApp` and `wx` from the mini-program runtime, the SDK from
 * `miniprogram_npm/`, against the devserver. Drives login, send, delivery, loss, link loss and
 * kick-out through the pages' handlers and checks each page's data after `setData`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { miniProgramDist, repoRoot, requireBuilt, SDK_PACKAGE_PATH } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { launchMiniProgramApp } from './support/miniprogram-app.mjs';

const projectDir = join(repoRoot, 'demo-miniprogram');
const REJECTED_TOKEN = 'revoked-token';
const REJECT_CODE = 1025;

let server;
const phones = [];

before(async () => {
  requireBuilt(miniProgramDist);
  server = await startDevServer(['--reject-token', `${REJECTED_TOKEN}=${REJECT_CODE}`]);
});

after(async () => {
  for (const phone of phones) {
    phone.env.wx.IMSDK.destroy();
    phone.dispose();
  }
  await server?.stop();
});

/** A phone with the demo app launched, on its login page. */
function launch() {
  const phone = launchMiniProgramApp({ projectDir, packageDirs: { [SDK_PACKAGE_PATH]: miniProgramDist } });
  phones.push(phone);
  return phone;
}

/** Page data as plain values of this realm (the pages' arrays come from the runtime's). */
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

/** An input event as WeChat delivers it to a `bindinput` handler. */
function typed(value) {
  return { type: 'input', detail: { value } };
}

/** Fills the login form and taps "Log in". */
function submitLogin(phone, userId, token = `token-${userId}`) {
  const login = phone.currentPage();
  assert.equal(login.route, 'pages/login/login');
  login.onServerUrlInput(typed(server.url));
  login.onUserIdInput(typed(userId));
  login.onTokenInput(typed(token));
  login.onLogin();
  return login;
}

/** Logs `userId` in on a new phone; resolves on its chat page, online. */
async function loggedIn(userId) {
  const phone = launch();
  submitLogin(phone, userId);
  await phone.waitFor(
    () => phone.currentPage().route === 'pages/chat/chat' && phone.currentPage().data.state === 'online',
    `${userId} online on the chat page`,
  );
  return phone;
}

/** Types `text` into the chat page's composer and taps "Send". */
function send(phone, text) {
  const chat = phone.currentPage();
  chat.onDraftInput(typed(text));
  chat.onSend();
  return chat;
}

/** The chat page's message with this text. */
function messageOf(phone, text) {
  return phone.currentPage().data.messages.find((m) => m.text === text);
}

/**
 * Every handler a page's template binds exists on the page, and every `{{…}}` reads a data key
 * the page has (or the `wx:for` item), since no template is rendered here.
 */
function assertTemplateBindings(page) {
  const wxml = readFileSync(join(projectDir, `${page.route}.wxml`), 'utf8');
  for (const [, handler] of wxml.matchAll(/\b(?:bind|catch):?\w+="(\w+)"/g)) {
    assert.equal(typeof page[handler], 'function', `${page.route}: handler ${handler}`);
  }
  for (const [, expression] of wxml.matchAll(/\{\{(.*?)\}\}/g)) {
    const [, name] = /^\s*!?\s*([A-Za-z_$][\w$]*)/.exec(expression);
    if (name !== 'item') assert.ok(name in page.data, `${page.route}: {{${expression}}} reads data.${name}`);
  }
}

test('the project is a complete mini-program: app files and four files per page', () => {
  const appJson = JSON.parse(readFileSync(join(projectDir, 'app.json'), 'utf8'));
  assert.deepEqual(appJson.pages, ['pages/login/login', 'pages/chat/chat']);
  const config = JSON.parse(readFileSync(join(projectDir, 'project.config.json'), 'utf8'));
  assert.equal(config.compileType, 'miniprogram');
  assert.equal(config.miniprogramRoot, './', 'miniprogram_npm/ sits next to app.json');
  assert.equal(config.setting.urlCheck, false, 'DevTools lets the demo reach ws://127.0.0.1');
  const files = readdirSync(projectDir);
  for (const file of ['app.js', 'app.json', 'app.wxss', 'im-manager.js', 'sitemap.json']) {
    assert.ok(files.includes(file), file);
  }
  for (const route of appJson.pages) {
    const name = route.split('/').at(-1);
    assert.deepEqual(
      readdirSync(join(projectDir, route, '..')).sort(),
      ['js', 'json', 'wxml', 'wxss'].map((ext) => `${name}.${ext}`),
      route,
    );
  }
});

test('login, send, delivery: each page shows the connection and message states', async () => {
  const alice = launch();
  assertTemplateBindings(alice.currentPage());
  const login = submitLogin(alice, 'alice');
  assert.equal(login.data.waiting, true);
  assert.equal(login.data.error, '');
  await alice.waitFor(() => alice.currentPage().route === 'pages/chat/chat', 'the chat page');
  assert.deepEqual(alice.routes(), ['pages/chat/chat'], 'the login page was replaced');
  assert.equal(alice.app().im.snapshot().userId, 'alice', 'the session lives in getApp().im');

  const chat = alice.currentPage();
  assertTemplateBindings(chat);
  assert.equal(chat.data.userId, 'alice');
  assert.equal(chat.data.peer, 'bob');
  assert.equal(chat.data.state, 'online');
  assert.equal(chat.data.stateLabel, 'Online');
  assert.equal(chat.data.sessionOver, false);

  const bob = await loggedIn('bob');
  assert.equal(bob.currentPage().data.peer, 'alice');

  send(alice, 'hello bob');
  assert.equal(chat.data.draft, '', 'the composer is cleared');
  const sent = messageOf(alice, 'hello bob');
  assert.equal(sent.direction, 'out');
  assert.equal(sent.state, 'sending', 'until the SDK reports the ack');
  assert.equal(sent.stateLabel, 'sending…');
  await alice.waitFor(() => messageOf(alice, 'hello bob').state === 'delivered', 'hello bob delivered');
  assert.equal(messageOf(alice, 'hello bob').stateLabel, 'delivered ✓');

  await bob.waitFor(() => messageOf(bob, 'hello bob') !== undefined, 'bob receives hello bob');
  const received = messageOf(bob, 'hello bob');
  assert.equal(received.direction, 'in');
  assert.equal(received.from, 'alice');
  assert.equal(received.stateLabel, 'received');
  assert.equal(received.fp, messageOf(alice, 'hello bob').fp);

  send(bob, 'hi alice');
  await bob.waitFor(() => messageOf(bob, 'hi alice').state === 'delivered', 'hi alice delivered');
  await alice.waitFor(() => messageOf(alice, 'hi alice') !== undefined, 'alice receives hi alice');
  assert.deepEqual(plain(alice.currentPage().data.messages.map((m) => [m.direction, m.text])), [
    ['out', 'hello bob'],
    ['in', 'hi alice'],
  ]);

  bob.currentPage().onLogout();
  await bob.waitFor(() => bob.currentPage().route === 'pages/login/login', 'bob back on the login page');
  assert.equal(bob.app().im.snapshot().state, 'logged_out');
  assert.deepEqual([...alice.problems, ...bob.problems], [], 'no setData on unloaded pages, no failed navigation');
});

test('a lost link shows a notice, then the reconnect', async () => {
  const carol = await loggedIn('carol');
  carol.env.killSockets();
  await carol.waitFor(
    () => carol.currentPage().data.notices.some((n) => n.kind === 'reconnected'),
    'the reconnected notice',
  );
  const chat = carol.currentPage();
  assert.deepEqual(plain(chat.data.notices.map((n) => [n.kind, n.text])), [
    ['disconnected', 'Connection lost, reconnecting…'],
    ['reconnected', 'Reconnected'],
  ]);
  await carol.waitFor(() => chat.data.state === 'online', 'carol online again');
});

test('kick-out: a notice, the session over, and the message in flight lost', async () => {
  const dave = await loggedIn('dave');
  const chat = dave.currentPage();
  chat.onPeerInput(typed('nobody-online'));
  assert.equal(chat.data.peer, 'nobody-online');
  send(dave, 'anyone there?');
  assert.equal(messageOf(dave, 'anyone there?').state, 'sending', 'no ack from an offline peer');
  assert.equal(messageOf(dave, 'anyone there?').stateLabel, 'sending…');

  const other = launch();
  submitLogin(other, 'dave');
  await dave.waitFor(() => chat.data.state === 'kicked', 'dave kicked');
  await dave.waitFor(() => messageOf(dave, 'anyone there?').state === 'lost', 'the message reported lost');
  assert.equal(messageOf(dave, 'anyone there?').stateLabel, 'lost ✗');
  assert.equal(chat.data.stateLabel, 'Kicked out');
  assert.equal(chat.data.sessionOver, true);
  assert.deepEqual(plain(chat.data.notices.map((n) => [n.kind, n.text])), [
    ['kickout', 'Kicked out: this account logged in elsewhere (code 1)'],
  ]);
  assert.equal(dave.env.modalCalls.length, 0, 'the app handles the kick-out: no stock alert');

  send(dave, 'after the kick');
  assert.equal(messageOf(dave, 'after the kick'), undefined, 'nothing is sent once the session is over');
  chat.onLogout();
  await dave.waitFor(() => dave.currentPage().route === 'pages/login/login', 'back on the login page');
  assert.deepEqual(dave.problems, []);
});

test('a refused token keeps the login page with the server code', async () => {
  const eve = launch();
  const login = submitLogin(eve, 'eve', REJECTED_TOKEN);
  await eve.waitFor(() => login.data.error !== '' && !login.data.waiting, 'the login error');
  assert.equal(login.data.error, `Login failed (code ${REJECT_CODE}).`);
  assert.equal(login.data.stateLabel, 'Login refused');
  assert.deepEqual(eve.routes(), ['pages/login/login']);

  login.onUserIdInput(typed(''));
  login.onLogin();
  assert.equal(login.data.error, 'Server URL and user id are needed.');
});
