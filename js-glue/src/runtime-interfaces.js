/**
 * What a runtime provides to `createIMSDK` (facade.js): a socket transport and a host. Types
 * only: host-*.js and transport-*.js implement them.
 */

/**
 * What a transport reports about one socket. `onClose` fires at most once, for a close or an
 * error, and nothing fires after the SDK called `close()`.
 * @typedef {object} SocketHandlers
 * @property {() => void} onOpen
 * @property {(text: string) => void} onText
 * @property {(bytes: Uint8Array) => void} onBytes
 * @property {() => void} onClose
 */

/**
 * One open socket. `send` calls `done` exactly once: with 0 when the frame was handed to the
 * socket, else with an `MBErrorCode` (3 when the socket refused it).
 * @typedef {object} Socket
 * @property {(text: string, done: (errCode: number) => void) => void} send
 * @property {() => void} close
 */

/**
 * Opens WebSocket connections (never with a subprotocol).
 * @typedef {object} Transport
 * @property {(url: string, handlers: SocketHandlers) => Socket} open may throw if it cannot
 */

/**
 * App lifecycle and network hints from the host.
 * @typedef {object} LifecycleHooks
 * @property {() => void} onShow
 * @property {() => void} onHide
 * @property {(connected: boolean) => void} onNetworkChange
 */

/** @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel */

/**
 * What the SDK needs from its runtime besides sockets.
 * @typedef {object} Host
 * @property {(bytes: Uint8Array) => void} fillRandom fills with random bytes; throws if it has
 *   none (the core then uses its seeded fallback)
 * @property {(text: string) => void} showAlert shows a message to the user
 * @property {(hooks: LifecycleHooks) => () => void} subscribeLifecycle returns an unsubscribe
 * @property {(level: LogLevel, line: string) => void} log the console
 * @property {() => number} now wall clock in ms
 */

export {};
