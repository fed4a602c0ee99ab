/**
 * The words the panes show for connection states, message states and kick-outs.
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

/** Connection states in which there is no session until the user logs in again. */
const ENDED_STATES = new Set(['idle', 'logged_out', 'kicked', 'auth_failed']);

/** @param {string} state a `getConnectionState()` value */
export function connectionStateLabel(state) {
  return CONNECTION_STATE_LABELS[state] ?? state;
}

/** @param {string} state */
export function isSessionOver(state) {
  return ENDED_STATES.has(state);
}

/** @param {{state: string, code: number}} entry a conversation log entry */
export function messageStateLabel(entry) {
  switch (entry.state) {
    case 'sending':
      return 'sending…';
    case 'delivered':
      return 'delivered ✓';
    case 'lost':
      return 'lost ✗';
    case 'failed':
      return `not sent (code ${entry.code})`;
    default:
      return entry.state;
  }
}

/**
 * @param {{code: number, reason?: string | null}} info from `callback_onIMKickout`
 * @param {{KICKOUT_FOR_DUPLICATE_LOGIN: number}} MBKickoutCode
 */
export function kickoutText(info, MBKickoutCode) {
  const why =
    info.code === MBKickoutCode.KICKOUT_FOR_DUPLICATE_LOGIN
      ? 'this account logged in elsewhere'
      : 'the server signed you out';
  return `Kicked out: ${why} (code ${info.code}${info.reason ? `, ${info.reason}` : ''})`;
}
