/**
 * mobileimsdk-wasm: the MobileIMSDK client API (`IMSDK` and its companions) over a WebAssembly
 * core. Names keep the stock spelling (`Protocal`, `callback_onIMAfterLoginSucess`, …).
 */

/** One MobileIMSDK packet as the app sees it. */
export interface Protocal {
  bridge?: boolean;
  /** Packet type; apps send 2 (data). */
  type: number;
  /** The payload string. */
  dataContent: string | null;
  /** Sender uid; left empty or "-1", the logged-in uid is used. */
  from: string;
  /** Receiver uid; "0" is the server. */
  to: string;
  /** Message id; a QoS message without one gets one when `sendData` accepts it. */
  fp?: string | null;
  /** Whether delivery is acknowledged, retried and de-duplicated. */
  QoS: boolean;
  /** App-level message type; -1 when unused. */
  typeu?: number;
  [extra: string]: unknown;
}

/** What the app logs in with. The object passed to `loginImpl` is never mutated. */
export interface LoginInfo {
  loginUserId: string;
  /** Checked by the server; never logged. */
  loginToken?: string | null;
  extra?: string | null;
  /** 0 (or absent) on a first login. */
  firstLoginTime?: number;
  [field: string]: unknown;
}

/** `getLoginInfo()`: a copy of the login info, with the server's first-login time once known. */
export interface SessionLoginInfo extends LoginInfo {
  firstLoginTime: number;
}

export interface KickoutInfo {
  /** 1 duplicate login, 2 admin. */
  code: number;
  reason?: string | null;
}

export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'logging_in'
  | 'online'
  | 'reconnecting'
  | 'logged_out'
  | 'kicked'
  | 'auth_failed';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `sendData`'s `fnSuccess` argument: the message's first transmission was written. */
export interface SendSuccess {
  errMsg: string;
  fp: string | null;
}

/** `sendData`'s `fnFail` argument. */
export interface SendFailure {
  /** An `MBErrorCode`: 3 socket refused the frame, 201 lost before it was ever written, … */
  errCode: number;
  errMsg: string;
}

/** Why a `sendDataAsync` promise was rejected. */
export declare class IMSendError extends Error {
  readonly code: number;
  readonly reason: 'refused' | 'write_failed' | 'lost' | 'not_initialised';
}

/**
 * The timings `IMSDK.setConfig` changes, each optional: integers within the bounds given
 * (docs/client-behaviour.md §12). A value left out keeps its current setting.
 */
export interface IMConfig {
  /** How long a login attempt may take before it fails with 207: 1 000–600 000 ms (10 000). */
  loginTimeoutMs?: number;
  /** The first reconnect delay after the immediate retry: 100–600 000 ms (3 000). */
  reconnectBaseMs?: number;
  /** The longest reconnect delay, not below the base: 100–3 600 000 ms (30 000). */
  reconnectCapMs?: number;
  /** Random spread of each reconnect delay, either way: 0–100 % (20). */
  reconnectJitterPercent?: number;
  /** How long a relogin must stay online for its loss to reset the backoff: 0–600 000 ms (1 000). */
  stableOnlineMs?: number;
  /** Time from a QoS message's transmission to its resend or loss check: 3 000–600 000 ms (5 000). */
  qosResendIntervalMs?: number;
  /** Resends before an unacknowledged QoS message is lost: 0–10 (2). */
  qosMaxResends?: number;
  /** How long a QoS message may wait offline in all before it is lost: 0–3 600 000 ms (30 000). */
  offlineHoldMs?: number;
  /** How long a received fp is remembered for de-duplication: 60 000–86 400 000 ms (600 000). */
  dedupeTtlMs?: number;
  /** How many received fps are remembered at most: 100–100 000 (10 000). */
  dedupeCapacity?: number;
}

/** Event names of `IMSDK.on` and their payloads. */
export interface IMSDKEvents {
  state: ConnectionState;
  loginSucceeded: undefined;
  loginFailed: { isReconnect: boolean; code: number };
  reconnected: undefined;
  disconnected: undefined;
  data: Protocal;
  ping: undefined;
  pong: undefined;
  kicked: KickoutInfo;
  lost: Protocal[];
  received: string;
  echo: Protocal;
  log: { level: LogLevel; message: string };
}

/**
 * A wasm source for `setWasmPath`: in a mini-program a package path string; in the browser build
 * also a `URL`, a `Response`, the bytes or a `WebAssembly.Module`.
 */
export type WasmSource = string | { readonly href: string } | ArrayBuffer | ArrayBufferView | object;

/** The SDK object. Every `callback_*` is optional; assign `null` to remove one. */
export interface IMSDK {
  /**
   * Starts a session: connect to `wsUrl` and log in. Returns 0, 4 (no `loginUserId`) or 205
   * (no URL). Before the wasm is loaded the call is queued and 0 returned.
   */
  loginImpl(loginInfo: LoginInfo, wsUrl: string): number;
  /**
   * Sends a message. Returns 0 accepted (sent, or queued: QoS while offline), 4 invalid, 201 not
   * connected (non-QoS while offline), 203 not initialised, 206 too large, 208 too many pending.
   * The callbacks report the socket write of the message's first transmission.
   */
  sendData(
    p: Protocal,
    fnSuccess?: (res: SendSuccess) => void,
    fnFail?: (err: SendFailure) => void,
    fnComplete?: () => void,
  ): number;
  /** Resolves when a QoS message is acknowledged (non-QoS: written); rejects with `IMSendError`. */
  sendDataAsync(p: Protocal): Promise<{ fp: string | null }>;
  /** Logs out: in-flight QoS messages are reported lost. */
  disconnectSocket(): number;
  isLogined(): boolean;
  isOnline(): boolean;
  getLoginInfo(): SessionLoginInfo | null;
  getConnectionState(): ConnectionState;
  setDebugCoreEnable(enabled: boolean): void;
  setDebugSDKEnable(enabled: boolean): void;
  setDebugPingPongEnable(enabled: boolean): void;
  /** What `MBKeepAliveDaemon.setSenseMode` calls; `false` for a mode the core refuses (`true` before it exists: checked then). */
  setSenseMode(mode: number): boolean;
  /** What `MBProtocalFactory.setMsgIdLength` calls; 0 (or above 128) for UUID v4 fingerprints. */
  setMsgIdLength(length: number): void;
  /**
   * Changes timings (all or nothing). Returns 0, or 209 (`INVALID_CONFIG`: an unknown name, a
   * value that is not a non-negative integer, or out of its bounds; logged, nothing changed).
   * Before the wasm is loaded the config is kept for it and 0 returned; one it refuses then is
   * logged. See docs/client-behaviour.md §12 for what happens to timers already running.
   */
  setConfig(config: IMConfig): number;
  /**
   * Where the wasm is loaded from; only before the first `loginImpl`. Mini-program: a package
   * path (default `miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br`). Browser: a
   * `WasmSource` (default `mobileimsdk.wasm` next to the module).
   */
  setWasmPath(path: WasmSource): boolean;
  on<E extends keyof IMSDKEvents>(event: E, listener: (payload: IMSDKEvents[E]) => void): () => void;
  off<E extends keyof IMSDKEvents>(event: E, listener: (payload: IMSDKEvents[E]) => void): void;
  /** Logs out, closes the socket, clears timers and host listeners. */
  destroy(): void;

  callback_onIMLog: ((message: string, toConsole: boolean) => void) | null;
  callback_onIMData: ((p: Protocal, options: Record<string, never>) => void) | null;
  callback_onIMAfterLoginSucess: (() => void) | null;
  callback_onIMAfterLoginFailed: ((isReconnect: boolean, code: number) => void) | null;
  callback_onIMReconnectSucess: (() => void) | null;
  callback_onIMDisconnected: (() => void) | null;
  callback_onIMPing: (() => void) | null;
  callback_onIMPong: (() => void) | null;
  callback_onIMShowAlert: ((text: string) => void) | null;
  callback_onIMKickout: ((info: KickoutInfo) => void) | null;
  callback_onMessagesLost: ((list: Protocal[]) => void) | null;
  callback_onMessagesBeReceived: ((fp: string) => void) | null;
}

export interface MBProtocalFactory {
  createCommonData(
    dataContent: string,
    from: string,
    to: string,
    QoS: boolean,
    fp?: string | null,
    typeu?: number,
  ): Protocal;
  /** A message with QoS on. */
  createCommonDataSimple(dataContent: string, from: string, to: string, typeu?: number): Protocal;
  /** n-character alphanumeric fingerprints, n from 1 to 128; 0 (or above 128) for UUID v4 (default). */
  setMsgIdLength(length: number): void;
}

export interface MBKeepAliveDaemon {
  setSenseMode(mode: number): boolean;
}

export interface MBSenseMode {
  readonly MODE_3S: 1;
  readonly MODE_5S: 2;
  readonly MODE_10S: 3;
  readonly MODE_15S: 4;
  readonly MODE_30S: 5;
  readonly MODE_60S: 6;
  readonly MODE_120S: 7;
}

export interface MBErrorCode {
  readonly COMMON_CODE_OK: 0;
  readonly COMMON_NO_LOGIN: 1;
  readonly COMMON_UNKNOW_ERROR: 2;
  readonly COMMON_DATA_SEND_FAILD: 3;
  readonly COMMON_INVALID_PROTOCAL: 4;
  readonly BREOKEN_CONNECT_TO_SERVER: 201;
  readonly BAD_CONNECT_TO_SERVER: 202;
  readonly CLIENT_SDK_NO_INITIALED: 203;
  readonly LOCAL_NETWORK_NOT_WORKING: 204;
  readonly TO_SERVER_NET_INFO_NOT_SETUP: 205;
  readonly DATA_TOO_LARGE: 206;
  readonly LOGIN_TIMEOUT: 207;
  readonly TOO_MANY_PENDING: 208;
  readonly INVALID_CONFIG: 209;
  readonly RESPONSE_FOR_UNLOGIN: 301;
}

export interface MBProtocalType {
  readonly FROM_CLIENT_TYPE_OF_LOGIN: 0;
  readonly FROM_CLIENT_TYPE_OF_KEEP$ALIVE: 1;
  readonly FROM_CLIENT_TYPE_OF_COMMON$DATA: 2;
  readonly FROM_CLIENT_TYPE_OF_LOGOUT: 3;
  readonly FROM_CLIENT_TYPE_OF_RECIVED: 4;
  readonly FROM_CLIENT_TYPE_OF_ECHO: 5;
  readonly FROM_SERVER_TYPE_OF_RESPONSE$LOGIN: 50;
  readonly FROM_SERVER_TYPE_OF_RESPONSE$KEEP$ALIVE: 51;
  readonly FROM_SERVER_TYPE_OF_RESPONSE$FOR$ERROR: 52;
  readonly FROM_SERVER_TYPE_OF_RESPONSE$ECHO: 53;
  readonly FROM_SERVER_TYPE_OF_KICKOUT: 54;
}

export interface MBKickoutCode {
  readonly KICKOUT_FOR_DUPLICATE_LOGIN: 1;
  readonly KICKOUT_FOR_ADMIN: 2;
}

export interface MBUtils {
  /** Stock pattern letters: yyyy MM dd hh/HH mm ss q S; the current time when `date` is absent. */
  formatDate(date?: Date | number | null, fmt?: string): string;
}

/** What `createClient()` returns: one more `IMSDK` object and companions bound to it. */
export interface IMSDKClient {
  IMSDK: IMSDK;
  MBProtocalFactory: MBProtocalFactory;
  MBKeepAliveDaemon: MBKeepAliveDaemon;
  MBSenseMode: MBSenseMode;
  MBErrorCode: MBErrorCode;
  MBProtocalType: MBProtocalType;
  MBKickoutCode: MBKickoutCode;
  MBUtils: MBUtils;
}

/**
 * One more client in the same page (e.g. two users side by side), independent of the `IMSDK`
 * singleton: its own socket, session, callbacks and settings. All clients share one wasm
 * instance; in a mini-program the new client is not hung on `wx`.
 */
export declare function createClient(): IMSDKClient;

export declare const IMSDK: IMSDK;
export declare const MBProtocalFactory: MBProtocalFactory;
export declare const MBKeepAliveDaemon: MBKeepAliveDaemon;
export declare const MBSenseMode: MBSenseMode;
export declare const MBErrorCode: MBErrorCode;
export declare const MBProtocalType: MBProtocalType;
export declare const MBKickoutCode: MBKickoutCode;
export declare const MBUtils: MBUtils;
export default IMSDK;
