/**
 * Login: server URL, user id and token; waits for the SDK to report the session online, then
 * opens the chat page, or shows why the login failed.
 */
const { connectionStateLabel } = require('../../labels.js');

/** The dev server of this repository (`npm run demo` starts it there). */
const DEFAULT_SERVER_URL = 'ws://127.0.0.1:3000/websocket';

Page({
  data: {
    serverUrl: DEFAULT_SERVER_URL,
    userId: 'alice',
    token: 'demo-token',
    waiting: false,
    stateLabel: '',
    error: '',
  },

  onShow() {
    this.unsubscribe = getApp().im.subscribe((snapshot) => this.onSnapshot(snapshot));
  },

  onHide() {
    this.stopListening();
  },

  onUnload() {
    this.stopListening();
  },

  stopListening() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
  },

  onServerUrlInput(event) {
    this.setData({ serverUrl: event.detail.value.trim() });
  },

  onUserIdInput(event) {
    this.setData({ userId: event.detail.value.trim() });
  },

  onTokenInput(event) {
    this.setData({ token: event.detail.value });
  },

  onLogin() {
    const { serverUrl, userId, token } = this.data;
    if (!serverUrl || !userId) {
      this.setData({ error: 'Server URL and user id are needed.' });
      return;
    }
    this.setData({ waiting: true, error: '' });
    const code = getApp().im.login({ serverUrl, userId, token });
    if (code !== 0) this.setData({ waiting: false, error: `Cannot log in (code ${code}).` });
  },

  onSnapshot(snapshot) {
    if (!this.data.waiting) return;
    if (snapshot.state === 'online') {
      this.setData({ waiting: false, stateLabel: '' });
      wx.redirectTo({ url: '/pages/chat/chat' });
      return;
    }
    const failure = snapshot.loginFailure;
    this.setData({
      waiting: snapshot.state !== 'auth_failed',
      stateLabel: connectionStateLabel(snapshot.state),
      error: failure ? `Login failed (code ${failure.code}).` : '',
    });
  },
});
