/** What a runtime gives `createIMSDK` (facade.js), as types: host-*.js and transport-*.js implement them. */

/**
 * What a transport reports about one socket: `onClose` at most once (a close or an error), and
 * nothing after the SDK called `close()`.
 * @typedef {object} SocketHandlers
 * @property {() => void} onOpen
 * @property {(text: string) => void} onText
 * @property {(bytes: Uint8Array) => void} onBytes
 * @property {() => void} onClose
 */

/**
 * One open socket: `send` calls `done` once, with 0 when the socket took the frame, else 3.
 * @typedef {object} Socket
 * @property {(text: string, done: (errCode: number) => void) => void} send
 * @property {() => void} close
 */

/** @typedef {{open(url: string, handlers: SocketHandlers): Socket}} Transport opens WebSockets (no subprotocol); may throw */

/** @typedef {{onShow(): void, onHide(): void, onNetworkChange(connected: boolean): void}} LifecycleHooks */

/** @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel */

/**
 * What the SDK needs from its runtime besides sockets.
 * @typedef {object} Host
 * @property {(bytes: Uint8Array) => void} fillRandom throws if it has no source (the core then falls back)
 * @property {(text: string) => void} showAlert
 * @property {(hooks: LifecycleHooks) => () => void} subscribeLifecycle returns an unsubscribe
 * @property {(level: LogLevel, line: string) => void} log the console
 * @property {() => number} now wall clock in ms
 */

export {};
