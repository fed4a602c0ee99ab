/**
 * The browser demo: alice and bob side by side, each with an SDK client of the ESM build —
 * alice on the stock `IMSDK` singleton, bob on a second client from `createClient()` — both
 * logged in to the dev server given as `?ws=…` (default ws://127.0.0.1:3000/websocket).
 * `?autologin=0` leaves the login forms to the user.
 */
import { createClient, IMSDK, MBKickoutCode, MBProtocalFactory, MBUtils } from '../dist/index.js';
import { mountPane } from './pane.js';

const params = new URLSearchParams(window.location.search);
const serverUrl = params.get('ws') ?? 'ws://127.0.0.1:3000/websocket';
const autoLogin = params.get('autologin') !== '0';
const container = /** @type {HTMLElement} */ (document.querySelector('#panes'));
const template = /** @type {HTMLTemplateElement} */ (document.querySelector('#pane-template'));

document.querySelector('#server-url').textContent = serverUrl;
mountPane(container, template, {
  client: { IMSDK, MBProtocalFactory, MBUtils, MBKickoutCode },
  userId: 'alice',
  peer: 'bob',
  serverUrl,
  autoLogin,
});
mountPane(container, template, { client: createClient(), userId: 'bob', peer: 'alice', serverUrl, autoLogin });
