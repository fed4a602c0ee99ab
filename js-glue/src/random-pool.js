/** Bytes from the async `wx.getRandomValues`, pooled ahead, else `Math.random()` (docs/client-behaviour.md §9). */

const POOL_SIZE = 131_072; // Twice the core's pool (src/wasm/host.rs): a request finds bytes while a refill runs.

/** How long `ready()` waits for the first fill (docs/client-behaviour.md §9). */
export const READY_TIMEOUT_MS = 1000;

const reasonOf = (/** @type {any} */ error) => (error && (error.errMsg || error.message)) || error;

/**
 * `warn` says once that the fallback is in use.
 * @param {((length: number) => Promise<Uint8Array>) | null} request @param {(line: string) => void} warn
 */
export function createRandomPool(request, warn) {
  const cryptoSource = typeof crypto !== 'undefined' && crypto && crypto.getRandomValues;
  let pool = new Uint8Array(0);
  /** @type {Promise<void> | null} */
  let refilling = null;
  /** @type {Promise<void> | null} */
  let readiness = null;
  let warned = false;
  function warnOnce(/** @type {string} */ why) {
    if (warned) return;
    warned = true;
    warn(`[IMSDK] ${why}: ids use Math.random (not cryptographic)`);
  }
  function refill() {
    if (refilling || !request) return refilling ?? Promise.resolve();
    refilling = request(POOL_SIZE).then(
      (bytes) => {
        const merged = new Uint8Array(pool.length + bytes.length);
        merged.set(pool);
        merged.set(bytes, pool.length);
        pool = merged;
        refilling = null;
      },
      (error) => {
        refilling = null;
        warnOnce(`wx.getRandomValues failed (${reasonOf(error)})`);
      },
    );
    return refilling;
  }
  /** The first fill, or `READY_TIMEOUT_MS`, whichever comes first. */
  function firstFill() {
    if (pool.length > 0 || cryptoSource) return Promise.resolve();
    if (!request) {
      warnOnce('no wx.getRandomValues (base library below 2.15)');
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        warnOnce(`wx.getRandomValues did not answer within ${READY_TIMEOUT_MS} ms`);
        resolve(undefined);
      }, READY_TIMEOUT_MS);
      refill().then(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }

  return {
    /** Resolves once the first fill has finished, failed or timed out. */
    ready() {
      if (!readiness) readiness = firstFill();
      return readiness;
    },
    /** @param {Uint8Array} bytes */
    fill(bytes) {
      if (cryptoSource) {
        crypto.getRandomValues(bytes);
        return;
      }
      if (pool.length >= bytes.length) {
        bytes.set(pool.subarray(0, bytes.length));
        pool = pool.slice(bytes.length);
      } else {
        for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
      }
      if (pool.length < POOL_SIZE / 2) refill();
    },
  };
}
