/** What a runtime gives `createIMSDK` (facade.js), as types: host-*.js and transport-*.js implement them. */

/**
 * A transport opens WebSockets (no subprotocol) and may throw. A socket reports `onClose` at most
 * once (a close or an error) and nothing after `close()`; `send` calls `done` once, 0 when taken, else 3.
 * @typedef {{onOpen(): void, onText(text: string): void, onBytes(bytes: Uint8Array): void,
 *   onClose(): void}} SocketHandlers
 * @typedef {{send(text: string, done: (errCode: number) => void): void, close(): void}} Socket
 * @typedef {{open(url: string, handlers: SocketHandlers): Socket}} Transport
 */

/** @typedef {{onShow(): void, onHide(): void, onNetworkChange(connected: boolean): void}} LifecycleHooks */
/** @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel */

/**
 * The runtime besides sockets: `fillRandom` throws without a source (the core then falls back),
 * `subscribeLifecycle` returns an unsubscribe, `log` is the console, `now` the wall clock in ms.
 * @typedef {{fillRandom(bytes: Uint8Array): void, showAlert(text: string): void, now(): number,
 *   subscribeLifecycle(hooks: LifecycleHooks): () => void, log(level: LogLevel, line: string): void}} Host
 */

export {};
