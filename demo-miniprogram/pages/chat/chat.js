/**
 * Chat: the connection state, the conversation with one peer (each sent message with its
 * delivery state), the notices (kick-out, link loss, reconnect) and a composer.
 */
const { connectionStateLabel, messageStateLabel } = require('../../labels.js');

/** The other demo user, so two devices chat without typing a peer. */
function defaultPeer(userId) {
  return userId === 'alice' ? 'bob' : 'alice';
}

/**
 * The page data for one snapshot of the IM manager and the chosen peer.
 * @param {object} snapshot from `getApp().im`
 * @param {string} peer
 */
function view(snapshot, peer) {
  const messages = snapshot.messages
    .filter((m) => (m.direction === 'out' ? m.to === peer : m.from === peer))
    .map((m) => Object.assign({}, m, { stateLabel: messageStateLabel(m) }));
  return {
    userId: snapshot.userId,
    state: snapshot.state,
    stateLabel: connectionStateLabel(snapshot.state),
    sessionOver: snapshot.sessionOver,
    messages,
    lastMessageId: messages.length > 0 ? `m${messages[messages.length - 1].id}` : '',
    notices: snapshot.notices,
  };
}

Page({
  data: {
    userId: '',
    peer: '',
    state: 'idle',
    stateLabel: '',
    sessionOver: false,
    messages: [],
    lastMessageId: '',
    notices: [],
    draft: '',
  },

  onLoad() {
    const im = getApp().im;
    this.setData({ peer: defaultPeer(im.snapshot().userId) });
    this.unsubscribe = im.subscribe((snapshot) => this.setData(view(snapshot, this.data.peer)));
  },

  onUnload() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
  },

  onPeerInput(event) {
    this.setData({ peer: event.detail.value.trim() });
    this.setData(view(getApp().im.snapshot(), this.data.peer));
  },

  onDraftInput(event) {
    this.setData({ draft: event.detail.value });
  },

  onSend() {
    const text = this.data.draft.trim();
    if (!text || !this.data.peer || this.data.sessionOver) return;
    this.setData({ draft: '' });
    getApp().im.send(this.data.peer, text);
  },

  onLogout() {
    if (!this.data.sessionOver) getApp().im.logout();
    wx.reLaunch({ url: '/pages/login/login' });
  },
});
