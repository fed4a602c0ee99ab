/**
 * Taro's build config plus what mobileimsdk-wasm needs when building for WeChat
 * (`taro build --type weapp`): the mini-program build of the SDK instead of the browser one,
 * and its Brotli-compressed wasm copied into the package (`src/hooks/use-chat.js` points
 * `IMSDK.setWasmPath` at it). The H5 build needs neither: webpack emits the browser wasm, which
 * the SDK loads with `new URL(…, import.meta.url)`, as an asset by itself.
 */
const path = require('node:path');

const forWeChat = process.env.TARO_ENV === 'weapp';
const outputRoot = `dist/${process.env.TARO_ENV}`;

module.exports = () => ({
  projectName: 'mobileimsdk-wasm-example-taro',
  date: '2026-12-3',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot,
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  copy: {
    patterns: forWeChat
      ? [
          {
            from: path.relative(path.join(__dirname, '..'), require.resolve('mobileimsdk-wasm/mobileimsdk.wasm.br')),
            to: `${outputRoot}/mobileimsdk.wasm.br`,
          },
        ]
      : [],
    options: {},
  },
  mini: {
    webpackChain(chain) {
      chain.resolve.alias.set('mobileimsdk-wasm$', 'mobileimsdk-wasm/miniprogram');
    },
  },
  h5: {
    publicPath: '/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
  },
});
