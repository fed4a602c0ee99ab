/**
 * mobileimsdk-wasm for WeChat mini-programs: the same API as the browser build, also hung on
 * `wx` (`wx.IMSDK`, `wx.MBProtocalFactory`, …) when the module is required.
 */
import type {
  IMSDK,
  MBErrorCode,
  MBKeepAliveDaemon,
  MBKickoutCode,
  MBProtocalFactory,
  MBProtocalType,
  MBSenseMode,
  MBUtils,
} from './index';

export * from './index';
export { default } from './index';

/** The default package path of the wasm. */
export declare const DEFAULT_WASM_PATH: 'miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br';

/** What the module adds to `wx`. */
export interface MobileIMSDKOnWx {
  IMSDK: IMSDK;
  MBProtocalFactory: MBProtocalFactory;
  MBKeepAliveDaemon: MBKeepAliveDaemon;
  MBSenseMode: MBSenseMode;
  MBErrorCode: MBErrorCode;
  MBProtocalType: MBProtocalType;
  MBKickoutCode: MBKickoutCode;
  MBUtils: MBUtils;
}

// Augments the official `WechatMiniprogram.Wx` (npm `miniprogram-api-typings`, which declares the
// global `wx`) when the app has those typings; without them this is the whole interface.
declare global {
  namespace WechatMiniprogram {
    interface Wx extends MobileIMSDKOnWx {}
  }
}
