/**
 * One soak peer: the mini-program build in its own mini-program runtime (tests/js/support), its
 * callbacks wired to the ledger, its log lines counted instead of kept.
 */
import { miniProgramDist, openMiniProgram } from '../js/support/builds.mjs';

const KEEP_LOG_LINES = 40;

/**
 * @param {object} options
 * @param {number} options.index
 * @param {string} options.uid
 * @param {ReturnType<typeof import('./ledger.mjs').createLedger>} options.ledger
 * @param {string} [options.sdkDir] the mini-program build to load (default miniprogram_dist/)
 */
export function openPeer({ index, uid, ledger, sdkDir = miniProgramDist }) {
  const { env, sdk, IMSDK } = openMiniProgram(sdkDir, {
    recordFrames: false,
    onInbound: (data) => noteArrival(data),
  });
  const stats = {
    logins: 0,
    reconnects: 0,
    disconnects: 0,
    loginFailures: 0,
    kickouts: 0,
    /** @type {Record<string, number>} */
    logLevels: { debug: 0, info: 0, warn: 0, error: 0 },
  };
  /** @type {string[]} the last log lines, for a failure report */
  const recentLines = [];

  IMSDK.callback_onIMLog = (line) => {
    recentLines.push(line);
    if (recentLines.length > KEEP_LOG_LINES) recentLines.shift();
  };
  IMSDK.on('log', ({ level }) => {
    stats.logLevels[level] = (stats.logLevels[level] ?? 0) + 1;
  });
  /** @type {[number, number][]} every time this peer was not online, [from, to] in ms epoch */
  const outages = [];
  let offlineSince = null;
  IMSDK.on('state', (state) => {
    if (state === 'online') {
      if (offlineSince !== null) outages.push([offlineSince, Date.now()]);
      offlineSince = null;
    } else if (offlineSince === null && stats.logins > 0) {
      offlineSince = Date.now();
    }
  });
  IMSDK.callback_onIMData = (p) => ledger.delivered(index, p);
  IMSDK.callback_onMessagesBeReceived = (fp) => ledger.acked(index, fp);
  IMSDK.callback_onMessagesLost = (list) => {
    for (const message of list) ledger.lost(index, message);
  };
  IMSDK.callback_onIMAfterLoginSucess = () => {
    stats.logins += 1;
  };
  IMSDK.callback_onIMReconnectSucess = () => {
    stats.reconnects += 1;
  };
  IMSDK.callback_onIMDisconnected = () => {
    stats.disconnects += 1;
  };
  IMSDK.callback_onIMAfterLoginFailed = () => {
    stats.loginFailures += 1;
  };
  IMSDK.callback_onIMKickout = (info) => {
    stats.kickouts += 1;
    ledger.violation(`peer ${index} (${uid}) was kicked out: ${JSON.stringify(info)}`);
  };

  /**
   * A frame reached the SDK's current socket: note the app messages among them, so a message
   * that arrived and was not delivered is told apart from one the network or server lost.
   * @param {string | ArrayBuffer} data
   */
  function noteArrival(data) {
    if (typeof data !== 'string' || !data.includes('"type":2')) return;
    try {
      const frame = JSON.parse(data);
      if (frame.type === 2 && typeof frame.fp === 'string') ledger.arrived(index, frame.fp);
    } catch {
      // not ours to judge: the SDK logs and drops what it cannot read
    }
  }

  let seq = 0;
  return {
    index,
    uid,
    env,
    IMSDK,
    stats,
    recentLines,
    outages,

    /** Whether this peer was offline for at least `minMs` at some point in [from, to]. */
    offlineDuring(from, to, minMs) {
      return outages.some(([start, end]) => end - start >= minMs && start <= to && end >= from);
    },

    /** @param {string} url */
    login(url) {
      return IMSDK.loginImpl({ loginUserId: uid, loginToken: `soak-token-${index}` }, url);
    },

    /**
     * Sends one QoS message to `receiver` and books it.
     * @param {{index: number, uid: string}} receiver
     */
    sendTo(receiver) {
      seq += 1;
      const content = `soak ${uid}→${receiver.uid} #${seq}`;
      const message = sdk.MBProtocalFactory.createCommonData(content, uid, receiver.uid, true, null, 1);
      const code = IMSDK.sendData(message);
      if (code === 0) ledger.sent(message.fp, index, receiver.index, content);
      else ledger.refused(code);
      return code;
    },

    /** Logs out, destroys the SDK and reports what the runtime still holds. */
    async close() {
      IMSDK.disconnectSocket();
      IMSDK.destroy();
      const deadline = Date.now() + 5000;
      while ((env.liveTimers() > 0 || env.liveSockets().length > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const left = { timers: env.liveTimers(), listeners: env.liveListeners(), sockets: env.liveSockets().length };
      env.dispose();
      return left;
    },
  };
}
