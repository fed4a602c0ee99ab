/**
 * What the mini-program glue uses beyond ES2020 and the official `wx` typings, for
 * `npm run typecheck` (tsconfig.miniprogram.json). Only what the glue relies on is declared.
 */

/** Injected into the mini-program bundle from src/text-codec.js (scripts/build.mjs). */
declare class TextEncoder {
  encodeInto(text: string, out: Uint8Array): { read: number; written: number };
}

/** Injected into the mini-program bundle from src/text-codec.js (scripts/build.mjs). */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}

/** Web Crypto where the runtime has it (DevTools, browsers); probed before use in WeChat. */
declare var crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
