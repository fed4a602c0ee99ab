/** The host of a WeChat mini-program: `wx.getRandomValues`, `wx.showModal`, app and network events. */
import { createRandomPool } from './random-pool.js';

/** @param {WechatMiniprogram.Wx} wx @returns {(length: number) => Promise<Uint8Array>} */
function wxRandomSource(wx) {
  return (length) =>
    new Promise((resolve, reject) => {
      wx.getRandomValues({
        length,
        success: (/** @type {{randomValues: ArrayBuffer}} */ res) => resolve(new Uint8Array(res.randomValues)),
        fail: reject,
      });
    });
}

/**
 * A `Host` (facade.js) with `ready()`, the random pool's first fill; without `wx`
 * (`null`), alerts go to the console and there are no app events.
 * @param {WechatMiniprogram.Wx | null} wx @returns {import('./facade.js').Host & {ready(): Promise<void>}}
 */
export function createWxHost(wx) {
  const source = typeof wx?.getRandomValues === 'function' ? wxRandomSource(wx) : null;
  const random = createRandomPool(source, (line) => console.warn(line));
  return {
    ready: random.ready,
    fillRandom: random.fill,
    showAlert(text) {
      if (wx) wx.showModal({ title: '提示', content: text, showCancel: false });
      else console.warn('[IMSDK] ' + text);
    },
    subscribeLifecycle(hooks) {
      if (!wx) return () => {};
      const { onShow, onHide } = hooks; // The hooks are the listeners (removed by identity).
      // `isConnected?`: the typings give `offNetworkStatusChange` listeners a plainer result.
      const onNetwork = (/** @type {{isConnected?: boolean, errMsg?: string}} */ res) =>
        hooks.onNetworkChange(Boolean(res?.isConnected));
      wx.onAppShow(onShow);
      wx.onAppHide(onHide);
      wx.onNetworkStatusChange(onNetwork);
      return () => {
        wx.offAppShow?.(onShow);
        wx.offAppHide?.(onHide);
        wx.offNetworkStatusChange?.(onNetwork);
      };
    },
    log: (level, line) => console[level](line),
    now: () => Date.now(),
  };
}
