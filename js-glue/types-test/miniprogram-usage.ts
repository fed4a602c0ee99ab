// The stock demo's usage through `wx`, against the mini-program typings; never run. `wx` is
// the official one (miniprogram-api-typings), with the SDK's members merged into its interface.
import { DEFAULT_WASM_PATH, IMSDK } from 'mobileimsdk-wasm/miniprogram';

wx.connectSocket({ url: 'wss://im.example.com/websocket' }).onOpen(() => {});

wx.IMSDK.callback_onIMAfterLoginSucess = () => {};
wx.IMSDK.callback_onIMData = (p) => void p.dataContent;
wx.MBKeepAliveDaemon.setSenseMode(wx.MBSenseMode.MODE_5S);
wx.MBProtocalFactory.setMsgIdLength(12);
wx.IMSDK.setWasmPath(DEFAULT_WASM_PATH);
wx.IMSDK.loginImpl({ loginUserId: 'alice', loginToken: 'token', extra: '' }, 'wss://im.example.com/websocket');
const code: number = wx.IMSDK.sendData(wx.MBProtocalFactory.createCommonDataSimple('hello', 'alice', 'bob', 0));
const same: boolean = wx.IMSDK === IMSDK;

export { code, same };
