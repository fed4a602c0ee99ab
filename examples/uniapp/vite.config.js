/**
 * uni-app's Vite config plus the two things mobileimsdk-wasm needs when building for WeChat
 * (`uni build -p mp-weixin`): the mini-program build of the SDK instead of the browser one, and
 * its Brotli-compressed wasm copied into the package (`src/stores/chat.js` points
 * `IMSDK.setWasmPath` at it). The H5 build needs neither: Vite emits `dist/mobileimsdk.wasm`,
 * which the browser build loads with `new URL(…, import.meta.url)`, as an asset by itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import uni from '@dcloudio/vite-plugin-uni';
import { defineConfig } from 'vite';

const require = createRequire(import.meta.url);
const forWeChat = process.env.UNI_PLATFORM === 'mp-weixin';

/** Emits the SDK's `mobileimsdk.wasm.br` at `fileName` in the mini-program package. */
function mobileimsdkWasm(fileName) {
  return {
    name: 'mobileimsdk-wasm',
    generateBundle() {
      const source = readFileSync(require.resolve('mobileimsdk-wasm/mobileimsdk.wasm.br'));
      this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  plugins: [uni(), forWeChat && mobileimsdkWasm('static/mobileimsdk.wasm.br')],
  resolve: {
    alias: forWeChat ? [{ find: /^mobileimsdk-wasm$/, replacement: 'mobileimsdk-wasm/miniprogram' }] : [],
  },
});
