// Compiles against the typings (tsc --noEmit -p js-glue/types-test); never run.
import IMSDKDefault, {
  type ConnectionState,
  createClient,
  type IMConfig,
  IMSDK,
  type IMSDKClient,
  IMSendError,
  type KickoutInfo,
  MBErrorCode,
  MBKeepAliveDaemon,
  MBKickoutCode,
  MBProtocalFactory,
  MBProtocalType,
  MBSenseMode,
  MBUtils,
  type Protocal,
} from 'mobileimsdk-wasm';

const sameObject: typeof IMSDK = IMSDKDefault;

const bob: IMSDKClient = createClient();
bob.IMSDK.callback_onIMData = (p: Protocal) => void p.from;
const fromBob: number = bob.IMSDK.sendData(bob.MBProtocalFactory.createCommonDataSimple('hi', 'bob', 'alice'));

IMSDK.callback_onIMLog = (message: string, toConsole: boolean) => void [message, toConsole];
IMSDK.callback_onIMData = (p: Protocal) => void p.dataContent;
IMSDK.callback_onIMAfterLoginSucess = () => {};
IMSDK.callback_onIMAfterLoginFailed = (isReconnect: boolean, code: number) => void [isReconnect, code];
IMSDK.callback_onIMReconnectSucess = () => {};
IMSDK.callback_onIMDisconnected = () => {};
IMSDK.callback_onIMPing = null;
IMSDK.callback_onIMPong = () => {};
IMSDK.callback_onIMShowAlert = (text: string) => void text;
IMSDK.callback_onIMKickout = (info: KickoutInfo) => void (info.code === MBKickoutCode.KICKOUT_FOR_DUPLICATE_LOGIN);
IMSDK.callback_onMessagesLost = (list: Protocal[]) => void list.length;
IMSDK.callback_onMessagesBeReceived = (fp: string) => void fp;

MBKeepAliveDaemon.setSenseMode(MBSenseMode.MODE_5S);
MBProtocalFactory.setMsgIdLength(12);
IMSDK.setWasmPath(new Uint8Array(0));
IMSDK.setDebugCoreEnable(true);
IMSDK.setDebugSDKEnable(true);
IMSDK.setDebugPingPongEnable(false);

const loginCode: number = IMSDK.loginImpl(
  { loginUserId: 'alice', loginToken: 'token' },
  'wss://im.example.com/websocket',
);
const message: Protocal = MBProtocalFactory.createCommonDataSimple('hello', 'alice', 'bob');
const other: Protocal = MBProtocalFactory.createCommonData('hi', 'alice', 'bob', false, null, 3);
const sendCode: number = IMSDK.sendData(
  message,
  (res) => void res.fp,
  (err) => void (err.errCode === MBErrorCode.BREOKEN_CONNECT_TO_SERVER),
  () => {},
);
IMSDK.sendData(other);

async function sendAndWait(): Promise<string | null> {
  try {
    const { fp } = await IMSDK.sendDataAsync(message);
    return fp;
  } catch (error) {
    if (error instanceof IMSendError) return `${error.code} ${error.reason}`;
    throw error;
  }
}

const unsubscribe: () => void = IMSDK.on('state', (state: ConnectionState) => void state);
IMSDK.on('lost', (list) => void list[0]?.fp);
IMSDK.on('kicked', (info) => void info.reason);
IMSDK.on('ping', () => {});
IMSDK.off('state', () => {});
unsubscribe();

const state: ConnectionState = IMSDK.getConnectionState();
const info = IMSDK.getLoginInfo();
const firstLoginTime: number | undefined = info?.firstLoginTime;
const flags: boolean[] = [IMSDK.isLogined(), IMSDK.isOnline()];
const stamp: string = MBUtils.formatDate(new Date(), 'yyyy-MM-dd hh:mm:ss');
const kickoutType: 54 = MBProtocalType.FROM_SERVER_TYPE_OF_KICKOUT;
const disconnected: number = IMSDK.disconnectSocket();
IMSDK.destroy();

// @ts-expect-error: loginUserId is required
IMSDK.loginImpl({ loginToken: 'x' }, 'wss://im.example.com/websocket');
// @ts-expect-error: unknown event
IMSDK.on('nonsense', () => {});

const timings: IMConfig = { qosResendIntervalMs: 3_000, dedupeCapacity: 1_000 };
const configCode: number = IMSDK.setConfig(timings);
const refused: boolean = IMSDK.setConfig({ loginTimeoutMs: 20_000 }) === MBErrorCode.INVALID_CONFIG;
// @ts-expect-error: unknown timing
IMSDK.setConfig({ resendMs: 1 });
// @ts-expect-error: timings are numbers
IMSDK.setConfig({ loginTimeoutMs: '5000' });

export {
  configCode,
  disconnected,
  firstLoginTime,
  flags,
  fromBob,
  kickoutType,
  loginCode,
  refused,
  sameObject,
  sendAndWait,
  sendCode,
  stamp,
  state,
};
