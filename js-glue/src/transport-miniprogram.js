/** The socket transport over a WeChat mini-program `SocketTask` (`wx.connectSocket`). */

const SEND_FAILED = 3;

/**
 * A `Transport` (facade.js); without `wx`, `open` throws.
 * @param {WechatMiniprogram.Wx | null} wx @returns {import('./facade.js').Transport}
 */
export function createWxSocketTransport(wx) {
  return {
    open(url, handlers) {
      if (!wx) throw new Error('no wx.connectSocket here');
      let live = true;
      const closed = () => {
        if (!live) return;
        live = false;
        handlers.onClose();
      };
      const task = wx.connectSocket({ url, fail: closed });
      task.onOpen(() => {
        if (live) handlers.onOpen();
      });
      task.onMessage((/** @type {{data: string | ArrayBuffer}} */ res) => {
        if (!live) return;
        if (typeof res.data === 'string') handlers.onText(res.data);
        else handlers.onBytes(new Uint8Array(res.data));
      });
      task.onClose(closed);
      // Closed before the SDK hears of it: the socket it opens next is never a second (docs/client-behaviour.md §9).
      task.onError(() => {
        if (!live) return;
        task.close({});
        closed();
      });
      return {
        send(text, done) {
          if (!live) return done(SEND_FAILED);
          // WeChat calls one of `success` and `fail`, once: no guard (a closure less a write).
          task.send({ data: text, success: () => done(0), fail: () => done(SEND_FAILED) });
        },
        close() {
          if (!live) return;
          live = false;
          task.close({ code: 1000 });
        },
      };
    },
  };
}
