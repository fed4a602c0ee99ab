/**
 * A scripted WebSocket server on loopback (the `ws` package, ephemeral port) that a test makes
 * misbehave: the test takes each connection with `server.nextLogin(uid)`, answers the SDK's
 * login (or not) and then sends whatever it likes — huge, deep, binary, invalid frames.
 *
 * Keep-alive pings (type 1) are answered with type 51 unless `peer.answerPings` is set to false,
 * so a slow case is not cut short by the SDK's dead-link timer.
 */
import { createServer } from 'node:net';
import { WebSocketServer } from 'ws';

/** @typedef {Record<string, any>} Frame */

/**
 * One accepted connection.
 * @typedef {object} HostilePeer
 * @property {number} id accept order, from 1
 * @property {Frame[]} frames every frame the SDK sent, parsed
 * @property {boolean} answerPings
 * @property {(predicate: (frame: Frame) => boolean, timeout?: number) => Promise<Frame>} next
 *   resolves with the first frame (already received or later) that matches
 * @property {() => Promise<Frame>} login the SDK's login frame (type 0)
 * @property {(uid: string, code?: number, firstLoginTime?: number) => void} replyLogin
 * @property {(frame: Frame | string) => void} send a text frame (objects are JSON-encoded)
 * @property {(bytes: Uint8Array | Buffer) => void} sendBinary a binary frame
 * @property {(bytes: Uint8Array | Buffer) => void} sendRawText a text frame of arbitrary bytes
 * @property {(frames: (Frame | string)[]) => Promise<void>} sendAll many text frames, in order,
 *   waiting for the socket to drain now and then
 * @property {() => void} close a normal close (1000 "Bye")
 * @property {() => void} terminate a TCP close without a close frame
 * @property {Promise<void>} closed settles when the connection is gone
 */

/** A server frame as the stock server writes it (docs/protocol.md §7). */
export function serverFrame(type, dataContent, to, extra = {}) {
  return { bridge: false, type, dataContent, from: '0', to, QoS: false, typeu: -1, sm: -1, ...extra };
}

/** A C2C message from `from` to `to` as the server forwards it. */
export function dataFrame(from, to, dataContent, fp = null) {
  return {
    bridge: false,
    type: 2,
    dataContent,
    from,
    to,
    ...(fp === null ? {} : { fp }),
    QoS: fp !== null,
    typeu: 0,
    sm: 0,
  };
}

/**
 * Starts the server. `nextLogin(uid)` resolves with the next connection whose first frame is a
 * login of `uid` (and that frame), so tests that run one after another do not pick up each
 * other's reconnects.
 * @returns {Promise<{url: string, port: number, connections: HostilePeer[],
 *   nextLogin: (uid: string, timeout?: number) => Promise<{peer: HostilePeer, login: Frame}>,
 *   stop: () => Promise<void>}>}
 */
export async function startHostileServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/websocket' });
  await new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (wss.address());
  /** @type {HostilePeer[]} */
  const connections = [];
  /** @type {Map<string, {peer: HostilePeer, login: Frame}[]>} logins nobody asked for yet */
  const unclaimed = new Map();
  /** @type {Map<string, ((entry: {peer: HostilePeer, login: Frame}) => void)[]>} */
  const claimants = new Map();

  /** @param {HostilePeer} peer */
  async function routeByLogin(peer) {
    let login;
    try {
      login = await peer.login();
    } catch {
      return;
    }
    const uid = String(JSON.parse(login.dataContent ?? '{}').loginUserId ?? login.from);
    const waiting = claimants.get(uid);
    if (waiting?.length) waiting.shift()({ peer, login });
    else unclaimed.set(uid, [...(unclaimed.get(uid) ?? []), { peer, login }]);
  }

  const server = {
    url: `ws://127.0.0.1:${port}/websocket`,
    port,
    connections,
    nextLogin(uid, timeout = 10_000) {
      const ready = unclaimed.get(uid);
      if (ready?.length) return Promise.resolve(ready.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const list = claimants.get(uid) ?? [];
          claimants.set(
            uid,
            list.filter((claim) => claim !== settle),
          );
          reject(new Error(`hostile server: no login of ${uid} within ${timeout} ms`));
        }, timeout);
        const settle = (/** @type {{peer: HostilePeer, login: Frame}} */ entry) => {
          clearTimeout(timer);
          resolve(entry);
        };
        claimants.set(uid, [...(claimants.get(uid) ?? []), settle]);
      });
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };

  wss.on('connection', (ws) => {
    /** @type {Set<() => void>} */
    const waiters = new Set();
    /** @type {HostilePeer} */
    const peer = {
      id: connections.length + 1,
      frames: [],
      answerPings: true,
      next(predicate, timeout = 10_000) {
        return new Promise((resolve, reject) => {
          let seen = 0;
          const check = () => {
            for (; seen < peer.frames.length; seen += 1) {
              if (predicate(peer.frames[seen])) {
                waiters.delete(check);
                clearTimeout(timer);
                resolve(peer.frames[seen]);
                return;
              }
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`hostile server: no matching frame from the SDK in ${timeout} ms`));
          }, timeout);
          waiters.add(check);
          check();
        });
      },
      login: () => peer.next((frame) => frame.type === 0),
      replyLogin(uid, code = 0, firstLoginTime = 1_700_000_000_000) {
        peer.send(serverFrame(50, JSON.stringify({ code, firstLoginTime }), code === 0 ? uid : '-1'));
      },
      send(frame) {
        ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      },
      sendBinary(bytes) {
        ws.send(bytes, { binary: true });
      },
      sendRawText(bytes) {
        ws.send(bytes, { binary: false });
      },
      async sendAll(frames) {
        for (const [index, frame] of frames.entries()) {
          peer.send(frame);
          if (index % 1000 === 999) await drained(ws);
        }
        await drained(ws);
      },
      close() {
        ws.close(1000, 'Bye');
      },
      terminate() {
        ws.terminate();
      },
      closed: new Promise((resolve) => ws.once('close', () => resolve())),
    };
    connections.push(peer);
    routeByLogin(peer);
    ws.on('message', (data, isBinary) => {
      let frame;
      try {
        frame = JSON.parse(isBinary ? Buffer.from(data).toString('utf8') : data.toString());
      } catch {
        frame = { unparsable: data.toString() };
      }
      peer.frames.push(frame);
      if (frame.type === 1 && peer.answerPings) peer.send(serverFrame(51, '{}', frame.from));
      for (const check of [...waiters]) check();
    });
  });
  return server;
}

/** @param {import('ws').WebSocket} ws */
async function drained(ws) {
  while (ws.bufferedAmount > 0 && ws.readyState === ws.OPEN) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A TCP server that accepts connections and never says a word (not even the WebSocket
 * handshake).
 * @returns {Promise<{url: string, accepted: () => number, stop: () => Promise<void>}>}
 */
export async function startSilentTcpServer() {
  let accepted = 0;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const tcp = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (tcp.address());
  return {
    url: `ws://127.0.0.1:${port}/websocket`,
    accepted: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => tcp.close(resolve));
    },
  };
}
