/**
 * The words the pages show for connection states and message states.
 */

const CONNECTION_STATE_LABELS = {
  idle: 'Not logged in',
  connecting: 'Connecting…',
  logging_in: 'Logging in…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  logged_out: 'Logged out',
  kicked: 'Kicked out',
  auth_failed: 'Login refused',
};

/** @param {string} state a `getConnectionState()` value */
function connectionStateLabel(state) {
  return CONNECTION_STATE_LABELS[state] || state;
}

/** @param {{state: string, code: number}} message an entry of the conversation log */
function messageStateLabel(message) {
  switch (message.state) {
    case 'sending':
      return 'sending…';
    case 'delivered':
      return 'delivered ✓';
    case 'lost':
      return 'lost ✗';
    case 'failed':
      return `not sent (code ${message.code})`;
    default:
      return message.state;
  }
}

module.exports = { connectionStateLabel, messageStateLabel };
