/**
 * Random bytes for fingerprints and backoff jitter where the host's cryptographic source is
 * asynchronous (`wx.getRandomValues`): a pool filled ahead of time and refilled in the
 * background.
 *
 * Documented fallback: when neither `crypto.getRandomValues` nor a filled pool is available,
 * bytes come from `Math.random()`. That keeps message ids unique, but they are then
 * predictable; nothing in the SDK uses them as secrets.
 */

/**
 * Bytes held and asked for at a time: twice what the core asks for at once (its own pool of
 * 64 KiB, src/wasm/host.rs), so that the core's next request finds its bytes here even while
 * the refill it started is still in flight. Smaller, the core's second request would be served
 * by the `Math.random()` fallback.
 */
const POOL_SIZE = 131_072;

/** @param {Uint8Array} bytes */
function fillFromMathRandom(bytes) {
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
}

/**
 * @param {((length: number) => Promise<Uint8Array>) | null} request an async cryptographic
 *   source, or `null` if the host has none
 */
export function createRandomPool(request) {
  const cryptoSource = typeof crypto !== 'undefined' && crypto && crypto.getRandomValues;
  let pool = new Uint8Array(0);
  /** @type {Promise<void> | null} */
  let refilling = null;

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
      () => {
        refilling = null;
      },
    );
    return refilling;
  }

  return {
    /** Resolves once the first fill has finished (or failed). */
    ready() {
      return pool.length > 0 || cryptoSource ? Promise.resolve() : refill();
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
        fillFromMathRandom(bytes);
      }
      if (pool.length < POOL_SIZE / 2) refill();
    },
  };
}
