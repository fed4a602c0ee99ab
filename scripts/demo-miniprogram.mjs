#!/usr/bin/env node
import { buildIfStale, placeMiniProgramSdk } from './demo/sdk-build.mjs';
/**
 * `npm run demo:miniprogram`: builds the SDK if needed and places its mini-program build in
 * demo-miniprogram/miniprogram_npm/, so the folder opens in WeChat DevTools with no further step.
 */
import { ensureNodeModules, MissingToolsError } from './preflight.mjs';

try {
  ensureNodeModules();
  buildIfStale();
  console.log(`▸ SDK placed in ${placeMiniProgramSdk()}/`);
  console.log(
    [
      '',
      'Open demo-miniprogram/ in WeChat DevTools (导入项目, test account / touristappid).',
      'Start the dev server it talks to with `npm run demo` (ws://127.0.0.1:3000/websocket).',
    ].join('\n'),
  );
} catch (error) {
  console.error(error instanceof MissingToolsError ? error.message : error);
  process.exit(1);
}
