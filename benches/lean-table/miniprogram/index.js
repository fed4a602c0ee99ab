/*
 * The least mini-program client over benches/lean-table's wasm, with the `IMSDK` surface the
 * iOS-engine harness drives (tests/ios-engine/harness.js): so the bare table is measured by the
 * same rounds, frames and floors as the SDK (benches/js/ios-engine-lean-table.mjs). It logs in,
 * writes each message's frame and each received QoS frame's ack with the runtime's JSON, copies
 * fingerprints into wasm memory for the table and the seen set, and tells the app. A scale, not
 * a client: no rules beyond that (no events, write results, resends, losses, limits, timers).
 */

const WASM_PATH = '/miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br';

const isText = (v) => v == null || typeof v === 'string';
const isInt32 = (v) => v === undefined || (typeof v === 'number' && (v | 0) === v);
/** The SDK's checks of a frame's field types (js-glue/src/call-arguments.js `isWireFrame`), `sm`'s left out. */
function isWireFrame(m) {
  if (m === null || Object(m) !== m || Array.isArray(m)) return false;
  return (
    (m.bridge === undefined || typeof m.bridge === 'boolean') &&
    (m.QoS === undefined || typeof m.QoS === 'boolean') &&
    isInt32(m.type) &&
    isInt32(m.typeu) &&
    isText(m.dataContent) &&
    isText(m.from) &&
    isText(m.to) &&
    isText(m.fp)
  );
}

let wasm = null;
let text = null;
let task = null;
let online = false;
let uidJson = '""';
/** Sent QoS messages by send id: the app's object and its fingerprint. */
const sends = [];
const wrote = () => {};

/** Writes the ASCII `s` into the module's text buffer; its length. */
function writeText(s) {
  const length = s.length;
  for (let i = 0; i < length; i += 1) text[i] = s.charCodeAt(i);
  return length;
}

/** The 36-character fingerprint `send` drew, from the text buffer. */
function drawnFingerprint(b) {
  // biome-ignore format: the 36 arguments in four rows
  return String.fromCharCode(
    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
    b[9], b[10], b[11], b[12], b[13], b[14], b[15], b[16], b[17],
    b[18], b[19], b[20], b[21], b[22], b[23], b[24], b[25], b[26],
    b[27], b[28], b[29], b[30], b[31], b[32], b[33], b[34], b[35],
  );
}

const IMSDK = {
  callback_onIMAfterLoginSucess: null,
  callback_onIMData: null,
  callback_onMessagesBeReceived: null,
  loginImpl(info, url) {
    uidJson = JSON.stringify(info.loginUserId);
    WXWebAssembly.instantiate(WASM_PATH, {}).then((made) => {
      wasm = (made.instance || made).exports;
      const address = wasm.text(); // Makes the tables: the memory grows before the view is taken.
      text = new Uint8Array(wasm.memory.buffer, address, 64);
      task = wx.connectSocket({ url });
      task.onOpen(() => {
        const content = JSON.stringify({ loginUserId: info.loginUserId, loginToken: info.loginToken });
        const login = { bridge: false, type: 0, dataContent: content, from: info.loginUserId, to: '0', QoS: false };
        task.send({ data: JSON.stringify(login), success: wrote, fail: wrote });
      });
      task.onMessage((res) => onText(res.data));
    });
    return 0;
  },
  getConnectionState: () => (online ? 'online' : 'connecting'),
  sendData(m) {
    if (!online || !isWireFrame(m) || typeof m.to !== 'string' || m.to === '') return 4;
    const contentJson = JSON.stringify(m.dataContent ?? null);
    const sendId = wasm.send();
    const fp = drawnFingerprint(text);
    m.fp = fp;
    const frame =
      '{"bridge":' + (m.bridge === true) + ',"type":' + (m.type ?? 0) + ',"dataContent":' + contentJson +
      ',"from":' + JSON.stringify(m.from ?? '-1') + ',"to":' + JSON.stringify(m.to) + ',"fp":' +
      JSON.stringify(fp) + ',"QoS":' + (m.QoS === true) + ',"typeu":' + (m.typeu ?? -1) + '}';
    sends[sendId] = { message: m, fp };
    task.send({ data: frame, success: () => wrote(0), fail: () => wrote(3) });
    return 0;
  },
};

function onText(data) {
  const p = JSON.parse(data);
  if (!isWireFrame(p)) return;
  if (p.type === 4 && p.QoS !== true && typeof p.dataContent === 'string') {
    const sendId = wasm.ack(writeText(p.dataContent));
    const sent = sends[sendId]; // None for 0, an fp not pending.
    if (!sent) return;
    sends[sendId] = undefined;
    IMSDK.callback_onMessagesBeReceived(sent.fp);
    return;
  }
  if (p.type === 50) {
    online = JSON.parse(p.dataContent).code === 0;
    if (online) IMSDK.callback_onIMAfterLoginSucess();
    return;
  }
  if (p.type !== 2 || typeof p.fp !== 'string') return;
  if (p.QoS === true) {
    const ack =
      '{"bridge":' + (p.bridge === true) + ',"type":4,"dataContent":' + JSON.stringify(p.fp) + ',"from":' + uidJson +
      ',"to":' + JSON.stringify(p.from ?? '-1') + ',"fp":null,"QoS":false,"typeu":-1}';
    task.send({ data: ack, success: wrote, fail: wrote });
    if (wasm.seen(writeText(p.fp)) === 1) return;
  }
  // biome-ignore format: the wire fields in two rows
  IMSDK.callback_onIMData({
    bridge: p.bridge ?? false, type: p.type ?? 0, dataContent: p.dataContent ?? null, from: p.from ?? '-1',
    to: p.to ?? '-1', fp: p.fp ?? null, QoS: p.QoS ?? false, typeu: p.typeu ?? -1,
  });
}

const MBProtocalFactory = {
  createCommonData: (dataContent, from, to, QoS, fp, typeu) => ({
    bridge: false,
    type: 2,
    dataContent,
    from,
    to,
    fp: fp || null,
    QoS: Boolean(QoS),
    typeu: typeu ?? -1,
  }),
};

module.exports = { IMSDK, MBProtocalFactory };
