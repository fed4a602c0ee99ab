/**
 * A framework's WeChat output (uni-app `mp-weixin`, Taro `weapp`) run in the Node mini-program
 * runtime of the tests (`tests/js/support/miniprogram-env.mjs`): `app.json`, `app.js` and the
 * first page's script, loaded as WeChat loads them (CommonJS modules of the output folder, the
 * globals `App`, `Page`, `Component`, `getApp`, `getCurrentPages`), the page instance driven
 * through the lifecycle WeChat gives it and its `setData` applied to its `data` (path keys such
 * as `l[0].c` or `root.cn.[0].v` included). The wasm is read from the output folder by the
 * runtime's `WXWebAssembly`, so a build that did not ship it, or points `setWasmPath` elsewhere,
 * fails to log in.
 *
 * There is no view layer: the framework adapters (`uniAppView`, `taroView`) read what the page
 * shows from the data it gave `setData` and fire its event handlers as the view would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createMiniProgramEnv } from '../../tests/js/support/miniprogram-env.mjs';

const WAIT_TIMEOUT_MS = 15_000;

/** What the frameworks' runtimes ask `wx` about at start-up, answered as a phone would. */
const SYSTEM_INFO = {
  brand: 'devtools',
  model: 'iPhone 12',
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 844,
  statusBarHeight: 47,
  language: 'zh_CN',
  version: '8.0.50',
  system: 'iOS 17.0',
  platform: 'ios',
  SDKVersion: '3.4.0',
  safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
};

/**
 * Sets `value` at a `setData` path: `a.b`, `a[0].b` and Taro's `a.[0].b`.
 * @param {any} target @param {string} path @param {any} value @param {(v: any) => any} copy
 */
function setPath(target, path, value, copy) {
  const keys = path.split(/\.|\[|\]/).filter(Boolean);
  let node = target;
  for (const [index, key] of keys.slice(0, -1).entries()) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = /^\d+$/.test(keys[index + 1]) ? [] : {};
    node = node[key];
  }
  node[keys.at(-1)] = value === undefined ? undefined : copy(value);
}

/**
 * @param {string} outDir the build's output folder (holds `app.json`)
 * @returns the runtime, the page and its helpers
 */
export function launchWeChatOutput(outDir) {
  const appConfig = JSON.parse(readFileSync(join(outDir, 'app.json'), 'utf8'));
  // Every top-level entry of the output is a package path the runtime can read.
  const packageDirs = Object.fromEntries(readdirSync(outDir).map((name) => [name, join(outDir, name)]));
  const env = createMiniProgramEnv({ packageDirs });
  const contextJson = env.run('JSON');
  const copy = (value) => contextJson.parse(contextJson.stringify(value));
  const modules = new Map();
  const definitions = new Map();
  const stack = [];
  const waiters = new Set();
  let appInstance = null;
  let loadingRoute = null;
  let nextNodeId = 1;

  const changed = () => {
    for (const check of [...waiters]) check();
  };

  function resolve(name, fromPath) {
    const withJs = (path) => (path.endsWith('.js') ? path : `${path}.js`);
    if (name.startsWith('/')) return withJs(name.slice(1));
    return withJs(posix.join(posix.dirname(fromPath), name));
  }

  function load(path) {
    if (modules.has(path)) return modules.get(path).exports;
    const file = join(outDir, path);
    if (!existsSync(file)) throw new Error(`require: ${path} is not in the output`);
    const factory = env.run(`(function (module, exports, require) {${readFileSync(file, 'utf8')}\n})`);
    const module = env.run('({ exports: {} })');
    modules.set(path, module);
    factory(module, module.exports, (name) => load(resolve(name, path)));
    return module.exports;
  }

  /** An instance as WeChat builds it from `Page(options)` or `Component(options)`. */
  function instantiate(route, query) {
    const { kind, options } = definitions.get(route);
    const page = env.run('({})');
    Object.assign(page, {
      route,
      is: route,
      options: query,
      __wxExparserNodeId__: `node-${nextNodeId++}`,
      __wxWebviewId__: nextNodeId,
      data: copy(options.data ?? {}),
      setData(patch, callback) {
        for (const [path, value] of Object.entries(patch)) setPath(page.data, path, value, copy);
        if (callback) setImmediate(callback);
        changed();
      },
      selectComponent: () => null,
      selectAllComponents: () => [],
      triggerEvent: () => {},
      getOpenerEventChannel: () => ({ on() {}, off() {}, emit() {} }),
      createSelectorQuery: () => env.wx.createSelectorQuery(),
    });
    if (kind === 'Page') {
      for (const [key, value] of Object.entries(options)) if (typeof value === 'function') page[key] = value;
    } else {
      for (const [key, value] of Object.entries(options.methods ?? {})) page[key] = value;
      // A component's properties live in its data; a page receives none from a parent.
      for (const [key, spec] of Object.entries(options.properties ?? {})) {
        page.data[key] = spec && typeof spec === 'object' && 'value' in spec ? copy(spec.value) : null;
      }
      page.properties = page.data;
    }
    return page;
  }

  function call(page, hook, ...args) {
    if (typeof page[hook] === 'function') page[hook](...args);
  }

  function componentHook(route, page, hook) {
    const { kind, options } = definitions.get(route);
    if (kind === 'Component') (options.lifetimes?.[hook] ?? options[hook])?.call(page);
  }

  function open(route, query) {
    if (!definitions.has(route)) {
      loadingRoute = route;
      load(`${route}.js`);
      loadingRoute = null;
      if (!definitions.has(route)) throw new Error(`${route}.js called neither Page() nor Component()`);
    }
    const page = instantiate(route, query);
    stack.push(page);
    componentHook(route, page, 'created');
    componentHook(route, page, 'attached');
    call(page, 'onLoad', query);
    call(page, 'onShow');
    componentHook(route, page, 'ready');
    call(page, 'onReady');
    changed();
    return page;
  }

  const selectorQuery = () => {
    const query = {
      select: () => query,
      selectAll: () => query,
      selectViewport: () => query,
      in: () => query,
      boundingClientRect: () => query,
      scrollOffset: () => query,
      fields: () => query,
      exec: (callback) => setImmediate(() => callback?.([])),
    };
    return query;
  };

  Object.assign(env.wx, {
    getSystemInfoSync: () => ({ ...SYSTEM_INFO }),
    getSystemInfo: ({ success } = {}) => setImmediate(() => success?.({ ...SYSTEM_INFO })),
    getWindowInfo: () => ({ ...SYSTEM_INFO }),
    getDeviceInfo: () => ({ ...SYSTEM_INFO }),
    getAppBaseInfo: () => ({ ...SYSTEM_INFO }),
    getSystemSetting: () => ({}),
    getAppAuthorizeSetting: () => ({}),
    getLaunchOptionsSync: () => ({ path: appConfig.pages[0], query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: appConfig.pages[0], query: {}, scene: 1001 }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 51, right: 380, bottom: 83, left: 293 }),
    canIUse: () => true,
    nextTick: (fn) => setImmediate(fn),
    setStorage: ({ success } = {}) => setImmediate(() => success?.({})),
    getStorageSync: () => '',
    setStorageSync: () => {},
    createSelectorQuery: selectorQuery,
    preloadAssets: () => {},
    onError: () => {},
    onUnhandledRejection: () => {},
    onPageNotFound: () => {},
    onThemeChange: () => {},
    onMemoryWarning: () => {},
  });

  Object.assign(env.context, {
    global: env.run('({})'),
    App(options) {
      if (appInstance) throw new Error('App() called twice');
      appInstance = options;
    },
    Page(options) {
      if (!loadingRoute) throw new Error('Page() called outside a page script');
      definitions.set(loadingRoute, { kind: 'Page', options });
    },
    Component(options) {
      if (!loadingRoute) throw new Error('Component() called outside a page script');
      definitions.set(loadingRoute, { kind: 'Component', options });
    },
    Behavior: (options) => options,
    getApp: () => appInstance,
    getCurrentPages: () => [...stack],
  });

  load('app.js');
  if (!appInstance) throw new Error('app.js did not call App()');
  const launch = { path: appConfig.pages[0], query: {}, scene: 1001 };
  appInstance.onLaunch?.call(appInstance, launch);
  appInstance.onShow?.call(appInstance, launch);

  return {
    env,
    appConfig,
    /**
     * Opens the app's first page with `query`, as a launch with that query would.
     * @param {Record<string, string>} query
     */
    openFirstPage: (query) => open(appConfig.pages[0], query),
    /** Every output file loaded as a module so far, by package path. */
    loadedModules: () => [...modules.keys()],
    /**
     * Resolves once `predicate()` holds, checked after every `setData`.
     * @param {() => boolean} predicate @param {string} what for the timeout message
     */
    waitFor(predicate, what) {
      if (predicate()) return Promise.resolve();
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          const problems = env.consoleLines.filter((l) => l.level !== 'log').map((l) => `${l.level}: ${l.text}`);
          reject(new Error(`timed out waiting for ${what}${problems.length ? `\n${problems.join('\n')}` : ''}`));
        }, WAIT_TIMEOUT_MS);
        function check() {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolvePromise();
        }
        waiters.add(check);
      });
    },
    dispose: () => env.dispose(),
  };
}

/**
 * A mini-program DOM event as the view layer hands it to a handler.
 * @param {string} type @param {object} detail @param {string} [id]
 */
function viewEvent(type, detail, id = '') {
  const target = { id, dataset: id ? { sid: id } : {} };
  return { type, timeStamp: Date.now(), detail, target, currentTarget: target, touches: [], changedTouches: [] };
}

/**
 * The page as uni-app compiles it: its `.wxml` binds each attribute to a key of the page data
 * (`bindtap="{{h}}"` holds the name of the handler method, `data-state="{{s}}"` the value); the
 * message list is a `wx:for` over a data array.
 * @param {any} page @param {string} wxml the page's compiled template
 */
export function uniAppView(page, wxml) {
  /** The data key bound to `attribute` of the element whose class is `className`. */
  const bound = (className, attribute) => {
    const match = new RegExp(`class="${className}"[^>]*?${attribute}="\\{\\{([\\w.]+)\\}\\}"`).exec(wxml);
    if (!match) throw new Error(`the template binds no ${attribute} on .${className}`);
    return match[1];
  };
  const fire = (className, type, detail) => {
    const handler = page.data[bound(className, `bind${type}`)];
    if (typeof page[handler] !== 'function') throw new Error(`.${className} ${type}: no handler ${handler}`);
    page[handler](viewEvent(type, detail));
  };
  const list = /wx:for="\{\{(\w+)\}\}" wx:for-item="(\w+)"[^>]*class="message"/.exec(wxml);
  const field = (attribute) => bound('message', attribute).split('.')[1];
  const text = /class="message__text">\{\{\w+\.(\w+)\}\}: \{\{\w+\.(\w+)\}\}</.exec(wxml);
  const notice = /class="notice">\{\{(\w+)\}\}</.exec(wxml);
  return {
    tap: (className) => fire(className, 'tap', {}),
    input: (className, value) => fire(className, 'input', { value, cursor: value.length }),
    state: () => page.data[bound('chat', 'data-state')],
    notice: () => (notice ? (page.data[notice[1]] ?? '') : ''),
    messages: () =>
      (list ? (page.data[list[1]] ?? []) : []).map((item) => ({
        text: `${item[text[1]]}: ${item[text[2]]}`,
        status: item[field('data-status')],
      })),
  };
}

/**
 * The page as Taro renders it: a tree under `data.root` of nodes with a `sid`, a class (`cl`),
 * children (`cn`) and text (`v`); every event goes through the page's `eh` method with the
 * node's `sid`.
 * @param {any} page
 */
export function taroView(page) {
  const nodes = () => {
    const all = [];
    const walk = (node) => {
      all.push(node);
      for (const child of node.cn ?? []) walk(child);
    };
    walk(page.data.root ?? {});
    return all;
  };
  const byClass = (className, from = nodes()) =>
    from.filter((node) =>
      String(node.cl ?? '')
        .split(/\s+/)
        .includes(className),
    );
  const textOf = (node) => (node.v ?? '') + (node.cn ?? []).map(textOf).join('');
  const descendants = (node) => [node, ...(node.cn ?? []).flatMap(descendants)];
  const fire = (className, type, detail) => {
    const [node] = byClass(className);
    if (!node) throw new Error(`no .${className} on the page`);
    page.eh(viewEvent(type, detail, node.sid));
  };
  return {
    tap: (className) => fire(className, 'tap', {}),
    input: (className, value) => fire(className, 'input', { value, cursor: value.length }),
    state: () => {
      const [title] = byClass('session__title');
      return title ? (/\((\w+)\)$/.exec(textOf(title))?.[1] ?? '') : 'idle';
    },
    notice: () => byClass('notice').map(textOf).join(''),
    messages: () =>
      byClass('message').map((row) => ({
        text: byClass('message__text', descendants(row)).map(textOf).join(''),
        status: byClass('message__status', descendants(row)).map(textOf).join(''),
      })),
  };
}
