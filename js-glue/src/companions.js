/** The stock companion objects, names spelled as the stock's (docs/client-behaviour.md §8). No imports: a snippet. */

/* The values the glue uses, as constants the bundler inlines (docs/performance.md "Size"). */
export const COMMON_CODE_OK = 0;
export const COMMON_DATA_SEND_FAILD = 3;
export const COMMON_INVALID_PROTOCAL = 4;
export const BREOKEN_CONNECT_TO_SERVER = 201;
export const CLIENT_SDK_NO_INITIALED = 203;
export const TO_SERVER_NET_INFO_NOT_SETUP = 205;
export const KICKOUT_FOR_DUPLICATE_LOGIN = 1;
export const KICKOUT_FOR_ADMIN = 2;
export const MODE_5S = 2;
export const FROM_CLIENT_TYPE_OF_COMMON$DATA = 2;

/** Error codes (`MBErrorCode`): the stock table plus this SDK's 206–209. */
// biome-ignore format: the table in rows: 0–4, 201–205, 206–209, 301
export const MBErrorCode = Object.freeze({
  COMMON_CODE_OK, COMMON_NO_LOGIN: 1, COMMON_UNKNOW_ERROR: 2, COMMON_DATA_SEND_FAILD, COMMON_INVALID_PROTOCAL,
  BREOKEN_CONNECT_TO_SERVER, BAD_CONNECT_TO_SERVER: 202, CLIENT_SDK_NO_INITIALED, LOCAL_NETWORK_NOT_WORKING: 204,
  TO_SERVER_NET_INFO_NOT_SETUP,
  DATA_TOO_LARGE: 206, LOGIN_TIMEOUT: 207, TOO_MANY_PENDING: 208, INVALID_CONFIG: 209,
  RESPONSE_FOR_UNLOGIN: 301,
});

/** Packet types on the wire (`MBProtocalType`). */
// biome-ignore format: the table in rows: the client's 0–5, the server's 50–54
export const MBProtocalType = Object.freeze({
  FROM_CLIENT_TYPE_OF_LOGIN: 0, FROM_CLIENT_TYPE_OF_KEEP$ALIVE: 1, FROM_CLIENT_TYPE_OF_COMMON$DATA,
  FROM_CLIENT_TYPE_OF_LOGOUT: 3, FROM_CLIENT_TYPE_OF_RECIVED: 4, FROM_CLIENT_TYPE_OF_ECHO: 5,
  FROM_SERVER_TYPE_OF_RESPONSE$LOGIN: 50, FROM_SERVER_TYPE_OF_RESPONSE$KEEP$ALIVE: 51,
  FROM_SERVER_TYPE_OF_RESPONSE$FOR$ERROR: 52, FROM_SERVER_TYPE_OF_RESPONSE$ECHO: 53, FROM_SERVER_TYPE_OF_KICKOUT: 54,
});

/** Kick-out codes (`MBKickoutCode`). */
export const MBKickoutCode = Object.freeze({ KICKOUT_FOR_DUPLICATE_LOGIN, KICKOUT_FOR_ADMIN });

/** Keep-alive sense modes (`MBSenseMode`): ping every 3 s … 120 s. */
// biome-ignore format: the table in one row
export const MBSenseMode = Object.freeze({
  MODE_3S: 1, MODE_5S, MODE_10S: 3, MODE_15S: 4, MODE_30S: 5, MODE_60S: 6, MODE_120S: 7,
});

/** An unhandled kick-out's alert (docs/client-behaviour.md §6). @param {{code: number, reason?: string|null}} info */
export function kickoutAlertText(info) {
  const base =
    info.code === KICKOUT_FOR_DUPLICATE_LOGIN
      ? '账号已在其它地方登录，当前会话已被迫下线。(This account logged in elsewhere.)'
      : info.code === KICKOUT_FOR_ADMIN
        ? '已被管理员强制下线。(Signed out by an administrator.)'
        : '已被服务器强制下线（code ' + info.code + '）。(Signed out by the server.)';
  return info.reason ? base + ' ' + info.reason : base;
}

/** `date` in the stock letters `yyyy MM dd hh/HH (24 h) mm ss q S`. @param {Date | number} date @param {string} fmt */
function formatDate(date, fmt) {
  const d = date instanceof Date ? date : new Date(date);
  /** @type {[string, number][]} each pattern's first match, padded to two digits when doubled */
  // biome-ignore format: the table in rows
  const fields = [
    ['M+', d.getMonth() + 1], ['d+', d.getDate()], ['[hH]+', d.getHours()],
    ['m+', d.getMinutes()], ['s+', d.getSeconds()], ['q+', Math.floor((d.getMonth() + 3) / 3)],
  ];
  let out = fmt.replace(/y+/, (years) => String(d.getFullYear()).slice(4 - years.length));
  fields.forEach((field) => {
    const value = String(field[1]);
    out = out.replace(new RegExp(field[0]), (match) => (match.length === 1 ? value : value.padStart(2, '0')));
  });
  return out.replace(/S+/, String(d.getMilliseconds()).padStart(3, '0'));
}

/** @typedef {{setSenseMode(mode: number): boolean, setMsgIdLength(length: number): void}} CompanionTarget */
/** @typedef {{now(): number}} Clock */

/** An `IMSDK`'s companions; `clock` for a dateless `formatDate`. @param {CompanionTarget} imsdk @param {Clock} clock */
export function createCompanions(imsdk, clock) {
  const MBProtocalFactory = {
    /**
     * An app message (type 2); a QoS one without `fp` gets one when sent.
     * @param {string} dataContent @param {string} from @param {string} to @param {boolean} QoS
     * @param {string | null} [fp] @param {number} [typeu]
     */
    createCommonData(dataContent, from, to, QoS, fp, typeu) {
      // biome-ignore format: a `Protocal` in two rows
      return {
        bridge: false, type: FROM_CLIENT_TYPE_OF_COMMON$DATA, dataContent, from, to,
        fp: fp || null, QoS: Boolean(QoS), typeu: typeu ?? -1,
      };
    },
    /** With QoS on. @param {string} dataContent @param {string} from @param {string} to @param {number} [typeu] */
    createCommonDataSimple: (dataContent, from, to, typeu) =>
      MBProtocalFactory.createCommonData(dataContent, from, to, true, null, typeu),
    /** The fingerprint length (docs/client-behaviour.md §7). @param {number} length */
    setMsgIdLength: (length) => imsdk.setMsgIdLength(length),
  };
  const MBKeepAliveDaemon = {
    /** The keep-alive cadence (docs/client-behaviour.md §2). @param {number} mode */
    setSenseMode: (mode) => imsdk.setSenseMode(mode),
  };
  const MBUtils = {
    /** `date` (default now) as `fmt` says. @param {Date | number | null} [date] @param {string} [fmt] */
    formatDate: (date, fmt) => formatDate(date ?? clock.now(), fmt ?? 'yyyy-MM-dd hh:mm:ss'),
  };

  return { MBProtocalFactory, MBKeepAliveDaemon, MBSenseMode, MBErrorCode, MBProtocalType, MBKickoutCode, MBUtils };
}
