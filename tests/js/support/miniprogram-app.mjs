/**
 * A whole mini-program project running on `createMiniProgramEnv`: its CommonJS modules (project
 * files and `miniprogram_npm/` packages), the globals `App`, `Page`, `getApp` and
 * `getCurrentPages`, and a page stack driven by `wx.navigateTo/redirectTo/reLaunch/navigateBack`
 * with WeChat's lifecycle order. Page data is kept as WeChat keeps it: `setData` copies the
 * values (JSON) into `this.data` at once.
 *
 * Usage:
 *   const app = launchMiniProgramApp({ projectDir, packageDirs: { 'miniprogram_npm/x': dir } });
 *   const login = app.currentPage();
 *   login.onLogin();
 *   await app.waitFor(() => app.currentPage().route === 'pages/chat/chat', 'the chat page');
 *   …
 *   app.dispose();
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createMiniProgramEnv } from './miniprogram-env.mjs';

const WAIT_TIMEOUT_MS = 10_000;

/** @param {string} url e.g. `/pages/chat/chat?peer=bob` */
function parsePageUrl(url) {
  const [path, search = ''] = url.split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  return { route: path.replace(/^\/+/, ''), query };
}

/**
 * @param {object} options
 * @param {string} options.projectDir the mini-program root (where app.json is)
 * @param {Record<string, string>} options.packageDirs package path prefix → directory on disk, as
 *   for `createMiniProgramEnv` (e.g. `miniprogram_npm/mobileimsdk-wasm` → the built SDK)
 */
export function launchMiniProgramApp({ projectDir, packageDirs }) {
  const env = createMiniProgramEnv({ packageDirs });
  const appConfig = JSON.parse(readFileSync(join(projectDir, 'app.json'), 'utf8'));
  const contextJson = env.run('JSON');
  /** @type {Map<string, any>} package path → module */
  const modules = new Map();
  /** @type {Map<string, object>} route → the options given to `Page` */
  const pageDefinitions = new Map();
  /** @type {any[]} */
  const stack = [];
  /** @type {Set<() => void>} */
  const waiters = new Set();
  /** Mistakes a real runtime would warn about, e.g. `setData` on an unloaded page. */
  const problems = [];
  let appInstance = null;
  let loadingRoute = null;

  function changed() {
    for (const check of [...waiters]) check();
  }

  /** The file behind a package path: a `packageDirs` entry, else the project directory. */
  function fileOf(packagePath) {
    for (const [prefix, dir] of Object.entries(packageDirs)) {
      if (packagePath.startsWith(`${prefix}/`)) return join(dir, packagePath.slice(prefix.length + 1));
    }
    return join(projectDir, packagePath);
  }

  /** `require(name)` from the module at `fromPath`, resolved as the mini-program runtime does. */
  function resolve(name, fromPath) {
    const withJs = (path) => (path.endsWith('.js') ? path : `${path}.js`);
    if (name.startsWith('./') || name.startsWith('../')) return withJs(posix.join(posix.dirname(fromPath), name));
    if (name.startsWith('/')) return withJs(name.slice(1));
    return name.includes('/') ? withJs(`miniprogram_npm/${name}`) : `miniprogram_npm/${name}/index.js`;
  }

  function load(packagePath) {
    if (modules.has(packagePath)) return modules.get(packagePath).exports;
    const source = readFileSync(fileOf(packagePath), 'utf8');
    const factory = env.run(`(function (module, exports, require) {${source}\n})`);
    const module = env.run('({ exports: {} })');
    modules.set(packagePath, module);
    factory(module, module.exports, (name) => load(resolve(name, packagePath)));
    return module.exports;
  }

  function definitionOf(route) {
    if (!appConfig.pages.includes(route)) throw new Error(`${route} is not listed in app.json`);
    if (!pageDefinitions.has(route)) {
      loadingRoute = route;
      load(`${route}.js`);
      loadingRoute = null;
      if (!pageDefinitions.has(route)) throw new Error(`${route}.js did not call Page()`);
    }
    return pageDefinitions.get(route);
  }

  function createPage(route, query) {
    const definition = definitionOf(route);
    const page = { route, options: query, unloaded: false };
    for (const [key, value] of Object.entries(definition)) {
      page[key] = typeof value === 'function' ? value : contextJson.parse(contextJson.stringify(value ?? null));
    }
    page.data = page.data ?? env.run('({})');
    page.setData = (patch, callback) => {
      if (page.unloaded) problems.push(`setData on unloaded ${route}: ${Object.keys(patch).join(', ')}`);
      for (const [key, value] of Object.entries(patch)) {
        if (/[.[]/.test(key)) throw new Error(`setData path keys are not supported by this harness: ${key}`);
        page.data[key] = value === undefined ? undefined : contextJson.parse(contextJson.stringify(value));
      }
      if (callback) setImmediate(callback);
      changed();
    };
    return page;
  }

  function call(page, hook, ...args) {
    if (typeof page[hook] === 'function') page[hook](...args);
  }

  function open(url) {
    const { route, query } = parsePageUrl(url);
    const page = createPage(route, query);
    stack.push(page);
    call(page, 'onLoad', query);
    call(page, 'onShow');
    call(page, 'onReady');
    changed();
  }

  function unload(page) {
    call(page, 'onUnload');
    page.unloaded = true;
  }

  /** Runs a navigation as its own macrotask, as WeChat does, then reports success. */
  function navigation(name, act) {
    return (options = {}) => {
      setImmediate(() => {
        try {
          act(options);
        } catch (error) {
          problems.push(`wx.${name} failed: ${error.message}`);
          options.fail?.({ errMsg: `${name}:fail ${error.message}` });
          return;
        }
        options.success?.({ errMsg: `${name}:ok` });
      });
    };
  }

  Object.assign(env.wx, {
    navigateTo: navigation('navigateTo', ({ url }) => {
      call(stack.at(-1), 'onHide');
      open(url);
    }),
    redirectTo: navigation('redirectTo', ({ url }) => {
      unload(stack.pop());
      open(url);
    }),
    reLaunch: navigation('reLaunch', ({ url }) => {
      while (stack.length > 0) unload(stack.pop());
      open(url);
    }),
    navigateBack: navigation('navigateBack', ({ delta = 1 } = {}) => {
      for (let i = 0; i < delta && stack.length > 1; i += 1) unload(stack.pop());
      call(stack.at(-1), 'onShow');
      changed();
    }),
  });

  Object.assign(env.context, {
    App(options) {
      if (appInstance) throw new Error('App() called twice');
      appInstance = options;
    },
    Page(options) {
      if (!loadingRoute) throw new Error('Page() called outside a page script');
      pageDefinitions.set(loadingRoute, options);
    },
    getApp: () => appInstance,
    getCurrentPages: () => [...stack],
  });

  load('app.js');
  if (!appInstance) throw new Error('app.js did not call App()');
  call(appInstance, 'onLaunch', { path: appConfig.pages[0], query: {}, scene: 1001 });
  call(appInstance, 'onShow', { path: appConfig.pages[0], query: {}, scene: 1001 });
  open(`/${appConfig.pages[0]}`);

  return {
    env,
    /** The object `App()` was given, as `getApp()` returns it. */
    app: () => appInstance,
    /** The page on top of the stack. */
    currentPage: () => stack.at(-1),
    /** The routes of the page stack, bottom first. */
    routes: () => stack.map((page) => page.route),
    problems,

    /**
     * Resolves once `predicate()` holds, checked after every `setData` and navigation.
     * @param {() => boolean} predicate
     * @param {string} what for the timeout message
     */
    waitFor(predicate, what, timeout = WAIT_TIMEOUT_MS) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          if (!predicate()) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolvePromise();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeout} ms waiting for ${what}; routes: ${stack.map((p) => p.route)}`));
        }, timeout);
        if (!check()) waiters.add(check);
      });
    },

    /** Unloads the pages and stops the runtime. */
    dispose() {
      while (stack.length > 0) unload(stack.pop());
      env.dispose();
    },
  };
}
